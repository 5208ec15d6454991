import Foundation
import GRDB

/// What a patient granted one PGO app in one authorization. Codes, access tokens and refresh tokens
/// issued under it are revoked with it.
public struct OAuthGrantRecord: Sendable, Hashable {
    public var grantID: String
    public var partyID: String
    public var clientID: String
    public var patientID: String
    public var consentID: String
    public var scope: String
    public var redirectURI: String
    /// Whether refresh tokens may be issued: false for "this time only".
    public var offline: Bool
    public var createdAtMilliseconds: Int64
    /// End of the consent period; nil: until the patient revokes it.
    public var expiresAtMilliseconds: Int64?
    public var revokedAtMilliseconds: Int64?
    public var revocationReason: String?

    public init(
        grantID: String, partyID: String, clientID: String, patientID: String, consentID: String, scope: String,
        redirectURI: String, offline: Bool, createdAtMilliseconds: Int64, expiresAtMilliseconds: Int64?,
        revokedAtMilliseconds: Int64? = nil, revocationReason: String? = nil
    ) {
        self.grantID = grantID
        self.partyID = partyID
        self.clientID = clientID
        self.patientID = patientID
        self.consentID = consentID
        self.scope = scope
        self.redirectURI = redirectURI
        self.offline = offline
        self.createdAtMilliseconds = createdAtMilliseconds
        self.expiresAtMilliseconds = expiresAtMilliseconds
        self.revokedAtMilliseconds = revokedAtMilliseconds
        self.revocationReason = revocationReason
    }

    public var isRevoked: Bool { revokedAtMilliseconds != nil }

    /// Whether the consent period has ended at `milliseconds`.
    public func hasExpired(at milliseconds: Int64) -> Bool {
        expiresAtMilliseconds.map { milliseconds >= $0 } ?? false
    }
}

/// A stored authorization code or refresh token (by hash) with the grant it belongs to.
public struct OAuthSecretRecord: Sendable, Hashable {
    public var grant: OAuthGrantRecord
    public var expiresAtMilliseconds: Int64?
    public var usedAtMilliseconds: Int64?
    public var revoked: Bool
}

/// Grants, authorization codes and refresh tokens in `gateway.sqlite`. Codes and refresh tokens are
/// stored only as SHA-256 hashes of their text.
///
/// Single use is enforced by compare-and-set (``markCodeUsed(hash:at:)``,
/// ``markRefreshTokenUsed(hash:at:)``): of two concurrent presentations exactly one wins, the other
/// sees a reuse.
public struct OAuthGrantStore: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    /// Stores a new grant with its authorization code, in one transaction.
    public func insert(_ grant: OAuthGrantRecord, codeHash: [UInt8], codeExpiresAtMilliseconds: Int64) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO oauth_grant (grant_id, party_id, client_id, patient_id, consent_id, scope, redirect_uri, offline,
                                             created_at_ms, expires_at_ms, revoked_at_ms, revocation_reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    grant.grantID, grant.partyID, grant.clientID, grant.patientID, grant.consentID, grant.scope, grant.redirectURI,
                    grant.offline, grant.createdAtMilliseconds, grant.expiresAtMilliseconds, grant.revokedAtMilliseconds,
                    grant.revocationReason,
                ])
            try db.execute(
                sql: "INSERT INTO oauth_code (code_hash, grant_id, expires_at_ms, used_at_ms) VALUES (?, ?, ?, NULL)",
                arguments: [Data(codeHash), grant.grantID, codeExpiresAtMilliseconds])
        }
    }

    public func grant(id: String) async throws -> OAuthGrantRecord? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM oauth_grant WHERE grant_id = ?", arguments: [id]).map(Self.grant(from:))
        }
    }

    /// A patient's grants, newest first (for the portal's overview of connected apps).
    public func grants(patientID: String) async throws -> [OAuthGrantRecord] {
        try await database.pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM oauth_grant WHERE patient_id = ? ORDER BY created_at_ms DESC, grant_id",
                arguments: [patientID]
            ).map(Self.grant(from:))
        }
    }

    public func code(hash: [UInt8]) async throws -> OAuthSecretRecord? {
        try await secret(table: "oauth_code", hashColumn: "code_hash", hash: hash, hasRevokedColumn: false)
    }

    public func refreshToken(hash: [UInt8]) async throws -> OAuthSecretRecord? {
        try await secret(table: "refresh_token", hashColumn: "token_hash", hash: hash, hasRevokedColumn: true)
    }

    /// Marks a code used; false when it already was (a reuse).
    public func markCodeUsed(hash: [UInt8], at milliseconds: Int64) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(
                sql: "UPDATE oauth_code SET used_at_ms = ? WHERE code_hash = ? AND used_at_ms IS NULL",
                arguments: [milliseconds, Data(hash)])
            return db.changesCount == 1
        }
    }

    /// Marks a refresh token used; false when it already was (a reuse).
    public func markRefreshTokenUsed(hash: [UInt8], at milliseconds: Int64) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(
                sql: "UPDATE refresh_token SET used_at_ms = ? WHERE token_hash = ? AND used_at_ms IS NULL",
                arguments: [milliseconds, Data(hash)])
            return db.changesCount == 1
        }
    }

    public func insertRefreshToken(hash: [UInt8], grantID: String, issuedAtMilliseconds: Int64, expiresAtMilliseconds: Int64?)
        async throws
    {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO refresh_token (token_hash, grant_id, issued_at_ms, expires_at_ms, used_at_ms, revoked)
                    VALUES (?, ?, ?, ?, NULL, 0)
                    """,
                arguments: [Data(hash), grantID, issuedAtMilliseconds, expiresAtMilliseconds])
        }
    }

    /// Revokes a grant and everything issued under it: its unused code, its refresh tokens and its
    /// access tokens. Revoking twice keeps the first time and reason.
    public func revoke(grantID: String, reason: String, at milliseconds: Int64) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    UPDATE oauth_grant SET revoked_at_ms = ?, revocation_reason = ?
                    WHERE grant_id = ? AND revoked_at_ms IS NULL
                    """,
                arguments: [milliseconds, reason, grantID])
            try db.execute(
                sql: "UPDATE oauth_code SET used_at_ms = ? WHERE grant_id = ? AND used_at_ms IS NULL", arguments: [milliseconds, grantID])
            try db.execute(sql: "UPDATE refresh_token SET revoked = 1 WHERE grant_id = ?", arguments: [grantID])
            try db.execute(sql: "UPDATE access_token SET revoked = 1 WHERE grant_id = ?", arguments: [grantID])
        }
    }

    private func secret(table: String, hashColumn: String, hash: [UInt8], hasRevokedColumn: Bool) async throws -> OAuthSecretRecord? {
        try await database.pool.read { db in
            let revoked = hasRevokedColumn ? "s.revoked" : "0"
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT g.*, s.expires_at_ms AS secret_expires_at_ms, s.used_at_ms AS secret_used_at_ms,
                               \(revoked) AS secret_revoked
                        FROM \(table) s JOIN oauth_grant g ON g.grant_id = s.grant_id
                        WHERE s.\(hashColumn) = ?
                        """,
                    arguments: [Data(hash)])
            else { return nil }
            return OAuthSecretRecord(
                grant: Self.grant(from: row), expiresAtMilliseconds: row["secret_expires_at_ms"],
                usedAtMilliseconds: row["secret_used_at_ms"], revoked: row["secret_revoked"])
        }
    }

    private static func grant(from row: Row) -> OAuthGrantRecord {
        OAuthGrantRecord(
            grantID: row["grant_id"], partyID: row["party_id"], clientID: row["client_id"], patientID: row["patient_id"],
            consentID: row["consent_id"], scope: row["scope"], redirectURI: row["redirect_uri"], offline: row["offline"],
            createdAtMilliseconds: row["created_at_ms"], expiresAtMilliseconds: row["expires_at_ms"],
            revokedAtMilliseconds: row["revoked_at_ms"], revocationReason: row["revocation_reason"])
    }
}
