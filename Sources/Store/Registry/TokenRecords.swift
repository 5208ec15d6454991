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
    /// The OAuth grant the token was issued under; nil for tokens issued by hand.
    public var grantID: String?
    /// Whether that grant has been revoked (read with the token, so one query decides).
    public var grantRevoked: Bool

    public init(
        tokenHash: [UInt8], partyID: String, certificateFingerprint: String, patientID: String,
        issuedAtMilliseconds: Int64, expiresAtMilliseconds: Int64, revoked: Bool = false, grantID: String? = nil,
        grantRevoked: Bool = false
    ) {
        self.tokenHash = tokenHash
        self.partyID = partyID
        self.certificateFingerprint = certificateFingerprint
        self.patientID = patientID
        self.issuedAtMilliseconds = issuedAtMilliseconds
        self.expiresAtMilliseconds = expiresAtMilliseconds
        self.revoked = revoked
        self.grantID = grantID
        self.grantRevoked = grantRevoked
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
                    INSERT INTO access_token
                        (token_hash, party_id, certificate_fingerprint, patient_id, issued_at_ms, expires_at_ms, revoked, grant_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Data(record.tokenHash), record.partyID, record.certificateFingerprint, record.patientID,
                    record.issuedAtMilliseconds, record.expiresAtMilliseconds, record.revoked, record.grantID,
                ])
        }
    }

    public func find(hash: [UInt8]) async throws -> AccessTokenRecord? {
        try database.lookup { db in
            // The grant is read in the same statement: a token of a revoked grant is refused even if
            // the revocation did not reach the token row (e.g. a token issued while it was revoked).
            // Asked on every request with a bearer token: prepared once per connection.
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT a.*, g.revoked_at_ms AS grant_revoked_at_ms
                        FROM access_token a LEFT JOIN oauth_grant g ON g.grant_id = a.grant_id
                        WHERE a.token_hash = ?
                        """),
                arguments: [Data(hash)]
            ).map { row in
                let hash: Data = row["token_hash"]
                let grantRevokedAt: Int64? = row["grant_revoked_at_ms"]
                return AccessTokenRecord(
                    tokenHash: [UInt8](hash), partyID: row["party_id"], certificateFingerprint: row["certificate_fingerprint"],
                    patientID: row["patient_id"], issuedAtMilliseconds: row["issued_at_ms"],
                    expiresAtMilliseconds: row["expires_at_ms"], revoked: row["revoked"], grantID: row["grant_id"],
                    grantRevoked: grantRevokedAt != nil)
            }
        }
    }

    public func revoke(hash: [UInt8]) async throws {
        try await database.pool.write { db in
            try db.execute(sql: "UPDATE access_token SET revoked = 1 WHERE token_hash = ?", arguments: [Data(hash)])
        }
    }
}
