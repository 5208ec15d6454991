import Foundation
import GRDB

/// A stored access token: only the SHA-256 hash of the token text is kept.
public struct AccessTokenRecord: Sendable, Hashable {
    public var tokenHash: [UInt8]
    public var partyID: String
    /// The SHA-256 fingerprint of the client certificate the token is bound to (RFC 8705 `x5t#S256`).
    public var certificateFingerprint: String
    public var patientID: String
    public var issuedAtMilliseconds: Int64
    public var expiresAtMilliseconds: Int64
    public var revoked: Bool

    public init(
        tokenHash: [UInt8], partyID: String, certificateFingerprint: String, patientID: String,
        issuedAtMilliseconds: Int64, expiresAtMilliseconds: Int64, revoked: Bool = false
    ) {
        self.tokenHash = tokenHash
        self.partyID = partyID
        self.certificateFingerprint = certificateFingerprint
        self.patientID = patientID
        self.issuedAtMilliseconds = issuedAtMilliseconds
        self.expiresAtMilliseconds = expiresAtMilliseconds
        self.revoked = revoked
    }
}

/// Storage for access tokens in `gateway.sqlite`.
public struct AccessTokenStore: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    public func insert(_ record: AccessTokenRecord) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO access_token (token_hash, party_id, certificate_fingerprint, patient_id, issued_at_ms, expires_at_ms, revoked)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Data(record.tokenHash), record.partyID, record.certificateFingerprint, record.patientID,
                    record.issuedAtMilliseconds, record.expiresAtMilliseconds, record.revoked,
                ])
        }
    }

    public func find(hash: [UInt8]) async throws -> AccessTokenRecord? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM access_token WHERE token_hash = ?", arguments: [Data(hash)]).map { row in
                let hash: Data = row["token_hash"]
                return AccessTokenRecord(
                    tokenHash: [UInt8](hash), partyID: row["party_id"], certificateFingerprint: row["certificate_fingerprint"],
                    patientID: row["patient_id"], issuedAtMilliseconds: row["issued_at_ms"],
                    expiresAtMilliseconds: row["expires_at_ms"], revoked: row["revoked"])
            }
        }
    }

    public func revoke(hash: [UInt8]) async throws {
        try await database.pool.write { db in
            try db.execute(sql: "UPDATE access_token SET revoked = 1 WHERE token_hash = ?", arguments: [Data(hash)])
        }
    }
}
