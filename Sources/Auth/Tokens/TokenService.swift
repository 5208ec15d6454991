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

    public func issue(
        partyID: String, certificateFingerprint: String, patientID: String, lifetime: Duration, now: Date = Date()
    ) async throws -> IssuedToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let issuedAt = Instant.milliseconds(now)
        let expiresAt = issuedAt + lifetime.components.seconds * 1000
        try await store.insert(
            AccessTokenRecord(
                tokenHash: Self.hash(token), partyID: partyID, certificateFingerprint: certificateFingerprint,
                patientID: patientID, issuedAtMilliseconds: issuedAt, expiresAtMilliseconds: expiresAt))
        return IssuedToken(token: token, expiresAt: Date(timeIntervalSince1970: Double(expiresAt) / 1000), patientID: patientID)
    }

    /// Accepts a token only when it is known, unexpired, unrevoked, presented over a connection with
    /// the certificate it was bound to, and by the party it was issued to.
    public func validate(
        _ token: String, presentedCertificateFingerprint: String, partyID: String, now: Date = Date()
    ) async throws -> Grant {
        guard (20...512).contains(token.utf8.count),
            token.utf8.allSatisfy({ Self.isBase64URL($0) })
        else { throw ValidationError.malformed }
        guard let record = try await store.find(hash: Self.hash(token)) else { throw ValidationError.unknown }
        guard !record.revoked else { throw ValidationError.revoked }
        guard Instant.milliseconds(now) < record.expiresAtMilliseconds else { throw ValidationError.expired }
        guard Self.constantTimeEquals(record.certificateFingerprint, presentedCertificateFingerprint) else {
            throw ValidationError.certificateMismatch
        }
        guard record.partyID == partyID else { throw ValidationError.partyMismatch }
        return Grant(partyID: record.partyID, patientID: record.patientID, expiresAtMilliseconds: record.expiresAtMilliseconds)
    }

    static func hash(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    private static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
