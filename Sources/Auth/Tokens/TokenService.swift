import Crypto
import Foundation
import Store

/// Issues and checks bearer tokens bound to one patient and to the client certificate they were
/// issued to (RFC 8705 certificate-bound access tokens).
///
/// A token is 32 random bytes, base64url; only its SHA-256 hash is stored, so a copy of the database
/// yields no usable token.
///
/// ```swift
/// let service = TokenService(store: AccessTokenStore(database: database))
/// let issued = try await service.issue(partyID: "pgo-demo", certificateFingerprint: fp, patientID: "p1",
///                                      lifetime: .seconds(900))
/// let grant = try await service.validate(issued.token, presentedCertificateFingerprint: fp)
/// ```
public struct TokenService: Sendable {
    public let store: AccessTokenStore

    public init(store: AccessTokenStore) {
        self.store = store
    }

    public struct IssuedToken: Sendable {
        /// The token text. Shown once to the client; never stored or logged.
        public var token: String
        public var expiresAt: Date
        public var patientID: String
    }

    /// What a valid token allows.
    public struct Grant: Sendable, Hashable {
        public var partyID: String
        public var patientID: String
        public var expiresAtMilliseconds: Int64
    }

    /// Why a token was not accepted. The HTTP layer answers all of them alike (401), so a caller
    /// learns nothing about which tokens exist; the case is for the audit log.
    public enum ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
        case malformed
        case unknown
        case expired
        case revoked
        case certificateMismatch
        case partyMismatch

        public var description: String {
            switch self {
            case .malformed: "the bearer token is malformed"
            case .unknown: "the bearer token is not known"
            case .expired: "the bearer token has expired"
            case .revoked: "the bearer token was revoked"
            case .certificateMismatch: "the bearer token is bound to another client certificate"
            case .partyMismatch: "the bearer token was issued to another party"
            }
        }
    }

    /// Issues a token; `grantID` ties it to an OAuth grant, so that revoking the grant revokes it.
    public func issue(
        partyID: String, certificateFingerprint: String, patientID: String, lifetime: Duration, grantID: String? = nil,
        now: Date = Date()
    ) async throws -> IssuedToken {
        let token = SecretToken.generate()
        let issuedAt = Instant.milliseconds(now)
        let expiresAt = issuedAt + lifetime.components.seconds * 1000
        try await store.insert(
            AccessTokenRecord(
                tokenHash: Self.hash(token), partyID: partyID, certificateFingerprint: certificateFingerprint,
                patientID: patientID, issuedAtMilliseconds: issuedAt, expiresAtMilliseconds: expiresAt, grantID: grantID))
        return IssuedToken(token: token, expiresAt: Date(timeIntervalSince1970: Double(expiresAt) / 1000), patientID: patientID)
    }

    /// Accepts a token only when it is known, unexpired, unrevoked (itself and its grant), presented
    /// over a connection with the certificate it was bound to, and by the party it was issued to.
    public func validate(
        _ token: String, presentedCertificateFingerprint: String, partyID: String, now: Date = Date()
    ) async throws -> Grant {
        guard (20...512).contains(token.utf8.count),
            token.utf8.allSatisfy({ Self.isBase64URL($0) })
        else { throw ValidationError.malformed }
        guard let record = try await store.find(hash: Self.hash(token)) else { throw ValidationError.unknown }
        // A token of a revoked grant (code reuse, refresh token reuse, revocation) is revoked too.
        guard !record.revoked, !record.grantRevoked else { throw ValidationError.revoked }
        guard Instant.milliseconds(now) < record.expiresAtMilliseconds else { throw ValidationError.expired }
        guard Self.constantTimeEquals(record.certificateFingerprint, presentedCertificateFingerprint) else {
            throw ValidationError.certificateMismatch
        }
        guard record.partyID == partyID else { throw ValidationError.partyMismatch }
        return Grant(partyID: record.partyID, patientID: record.patientID, expiresAtMilliseconds: record.expiresAtMilliseconds)
    }

    static func hash(_ token: String) -> [UInt8] {
        SecretToken.hash(token)
    }

    static func isBase64URL(_ byte: UInt8) -> Bool {
        SecretToken.isBase64URL(byte)
    }

    /// Revokes one access token issued to `partyID`; false when there is no such token (RFC 7009
    /// treats that as success, so the caller decides what to answer).
    public func revoke(_ token: String, partyID: String) async throws -> Bool {
        guard SecretToken.isWellFormed(token), let record = try await store.find(hash: Self.hash(token)),
            record.partyID == partyID
        else { return false }
        try await store.revoke(hash: record.tokenHash)
        return true
    }

    private static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
