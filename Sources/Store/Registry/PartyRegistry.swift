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

    /// Registers a party with a certificate, or adds the certificate to an already registered party.
    ///
    /// Registration never changes a status: a suspended party or a revoked certificate stays so until
    /// ``setStatus(partyID:_:)`` or ``setCertificateStatus(fingerprint:_:)`` says otherwise, however often
    /// setup runs. A certificate registered to one party is never moved to another.
    public func register(_ party: Party, certificate: PartyCertificate, at date: Date = Date()) async throws {
        try await database.pool.write { db in
            if let owner = try String.fetchOne(
                db, sql: "SELECT party_id FROM party_certificate WHERE fingerprint_sha256 = ?", arguments: [certificate.fingerprintSHA256]),
                owner != party.partyID
            {
                throw RegistrationError.certificateBelongsToAnotherParty(fingerprint: certificate.fingerprintSHA256, partyID: owner)
            }
            if let kind = try String.fetchOne(db, sql: "SELECT kind FROM party WHERE party_id = ?", arguments: [party.partyID]),
                kind != party.kind.rawValue
            {
                throw RegistrationError.partyExistsWithAnotherKind(partyID: party.partyID, kind: kind)
            }
            try db.execute(
                sql: """
                    INSERT INTO party (party_id, kind, display_name, ura, client_id, status, registered_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (party_id) DO UPDATE SET
                        display_name = excluded.display_name, ura = excluded.ura, client_id = excluded.client_id
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
                        subject = excluded.subject, not_valid_after = excluded.not_valid_after
                    """,
                arguments: [
                    certificate.fingerprintSHA256, party.partyID, certificate.subject, certificate.notValidAfter,
                    certificate.status.rawValue,
                ])
        }
    }

    /// All registered parties, for listings.
    public func parties() async throws -> [Party] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM party ORDER BY party_id").compactMap(Party.init(row:))
        }
    }

    public func setStatus(partyID: String, _ status: Party.Status) async throws {
        try await database.pool.write { db in
            try db.execute(sql: "UPDATE party SET status = ? WHERE party_id = ?", arguments: [status.rawValue, partyID])
            guard db.changesCount == 1 else { throw RegistrationError.unknownParty(partyID) }
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
            try Row.fetchOne(db, sql: "SELECT * FROM party WHERE party_id = ?", arguments: [id]).flatMap(Party.init(row:))
        }
    }

    public func party(clientID: String) async throws -> Party? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM party WHERE client_id = ?", arguments: [clientID]).flatMap(Party.init(row:))
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
        // Asked on every back-channel request, and bounded by the primary key: on the calling thread
        // (``GatewayDatabase/lookup(_:)``), prepared once per connection.
        try database.lookup { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT p.*, c.fingerprint_sha256, c.subject, c.not_valid_after, c.status AS certificate_status
                            FROM party_certificate c JOIN party p ON p.party_id = c.party_id
                            WHERE c.fingerprint_sha256 = ?
                            """),
                    arguments: [fingerprint])
            else { return .unknownCertificate }
            // An entry this version cannot read grants nothing.
            guard let party = Party(row: row) else { return .unknownCertificate }
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
    /// Nil for a kind or status this version does not know: deny rather than guess.
    init?(row: Row) {
        guard let kind = Kind(rawValue: row["kind"]), let status = Status(rawValue: row["status"]) else { return nil }
        self.init(
            partyID: row["party_id"], kind: kind, displayName: row["display_name"], ura: row["ura"], clientID: row["client_id"],
            status: status)
    }
}

/// Why a registration was refused.
public enum RegistrationError: Error, Sendable, Hashable, CustomStringConvertible {
    case certificateBelongsToAnotherParty(fingerprint: String, partyID: String)
    case partyExistsWithAnotherKind(partyID: String, kind: String)
    case unknownParty(String)

    public var description: String {
        switch self {
        case .certificateBelongsToAnotherParty(let fingerprint, let partyID):
            "certificate \(fingerprint.prefix(16))… is already registered to party '\(partyID)'"
        case .partyExistsWithAnotherKind(let partyID, let kind): "party '\(partyID)' is already registered as \(kind)"
        case .unknownParty(let partyID): "there is no party '\(partyID)'"
        }
    }
}
