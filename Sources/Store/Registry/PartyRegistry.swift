import Foundation
import GRDB

/// The registry of parties and their certificates in `gateway.sqlite`.
///
/// ```swift
/// let registry = PartyRegistry(database: database)
/// try await registry.register(party, certificate: certificate)
/// let match = try await registry.lookup(fingerprint: "ab12…", ura: "90000123", dnsNames: [])
/// ```
public struct PartyRegistry: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    /// Registers (or re-registers) a party with a certificate.
    public func register(_ party: Party, certificate: PartyCertificate, at date: Date = Date()) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO party (party_id, kind, display_name, ura, client_id, status, registered_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (party_id) DO UPDATE SET
                        kind = excluded.kind, display_name = excluded.display_name, ura = excluded.ura,
                        client_id = excluded.client_id, status = excluded.status
                    """,
                arguments: [
                    party.partyID, party.kind.rawValue, party.displayName, party.ura, party.clientID,
                    party.status.rawValue, Instant.format(date),
                ])
            try db.execute(
                sql: """
                    INSERT INTO party_certificate (fingerprint_sha256, party_id, subject, not_valid_after, status)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (fingerprint_sha256) DO UPDATE SET
                        party_id = excluded.party_id, subject = excluded.subject,
                        not_valid_after = excluded.not_valid_after, status = excluded.status
                    """,
                arguments: [
                    certificate.fingerprintSHA256, party.partyID, certificate.subject, certificate.notValidAfter,
                    certificate.status.rawValue,
                ])
        }
    }

    public func setStatus(partyID: String, _ status: Party.Status) async throws {
        try await database.pool.write { db in
            try db.execute(sql: "UPDATE party SET status = ? WHERE party_id = ?", arguments: [status.rawValue, partyID])
        }
    }

    public func setCertificateStatus(fingerprint: String, _ status: Party.Status) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: "UPDATE party_certificate SET status = ? WHERE fingerprint_sha256 = ?",
                arguments: [status.rawValue, fingerprint])
        }
    }

    public func party(id: String) async throws -> Party? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM party WHERE party_id = ?", arguments: [id]).map(Party.init(row:))
        }
    }

    public func party(clientID: String) async throws -> Party? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM party WHERE client_id = ?", arguments: [clientID]).map(Party.init(row:))
        }
    }

    /// The certificates registered for a party.
    public func certificates(partyID: String) async throws -> [PartyCertificate] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM party_certificate WHERE party_id = ? ORDER BY not_valid_after DESC", arguments: [partyID])
                .map { row in
                    PartyCertificate(
                        fingerprintSHA256: row["fingerprint_sha256"], partyID: row["party_id"], subject: row["subject"],
                        notValidAfter: row["not_valid_after"], status: Party.Status(rawValue: row["status"]) ?? .revoked)
                }
        }
    }

    /// What the registry says about a presented certificate.
    public enum Lookup: Sendable, Hashable {
        case known(Party, PartyCertificate)
        /// No certificate with this fingerprint is registered.
        case unknownCertificate
        /// The certificate is registered, but it or its party is suspended or revoked, or the URA or
        /// hostname in the certificate does not belong to the registered party.
        case refused(Party, reason: String)
    }

    /// Maps a presented certificate to a party: by pinned fingerprint first, then cross-checked
    /// against the URA or hostname the certificate carries, so that a certificate registered to one
    /// party cannot speak for another.
    public func lookup(fingerprint: String, ura: String?, dnsNames: [String]) async throws -> Lookup {
        try await database.pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT p.*, c.fingerprint_sha256, c.subject, c.not_valid_after, c.status AS certificate_status
                        FROM party_certificate c JOIN party p ON p.party_id = c.party_id
                        WHERE c.fingerprint_sha256 = ?
                        """,
                    arguments: [fingerprint])
            else { return .unknownCertificate }
            let party = Party(row: row)
            let certificate = PartyCertificate(
                fingerprintSHA256: row["fingerprint_sha256"], partyID: party.partyID, subject: row["subject"],
                notValidAfter: row["not_valid_after"],
                status: Party.Status(rawValue: row["certificate_status"]) ?? .revoked)
            if party.status != .active { return .refused(party, reason: "party is \(party.status.rawValue)") }
            if certificate.status != .active {
                return .refused(party, reason: "certificate is \(certificate.status.rawValue)")
            }
            if let registeredURA = party.ura, ura != registeredURA {
                return .refused(party, reason: "certificate does not carry the party's URA")
            }
            if let clientID = party.clientID, !dnsNames.contains(clientID) {
                return .refused(party, reason: "certificate does not carry the app's hostname")
            }
            return .known(party, certificate)
        }
    }
}

extension Party {
    init(row: Row) {
        self.init(
            partyID: row["party_id"],
            kind: Kind(rawValue: row["kind"]) ?? .operator,
            displayName: row["display_name"],
            ura: row["ura"],
            clientID: row["client_id"],
            status: Status(rawValue: row["status"]) ?? .revoked)
    }
}
