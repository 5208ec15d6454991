import Foundation
import Store

/// Tells the authorization server whether the consent behind a grant still holds; the Consent module
/// answers it (through the Gateway), so Auth need not depend on it.
public protocol GrantConsentCheck: Sendable {
    func isInForce(consentID: String, at date: Date) async throws -> Bool
}

/// The PGO app a token request comes from, as its mTLS certificate identified it.
public struct AuthenticatedClient: Sendable, Hashable {
    public var partyID: String
    public var clientID: String
    public var certificateFingerprint: String

    public init(partyID: String, clientID: String, certificateFingerprint: String) {
        self.partyID = partyID
        self.clientID = clientID
        self.certificateFingerprint = certificateFingerprint
    }
}

/// The OAuth 2.0 authorization server of MedMij "Verzamelen": authorization codes, grants, refresh
/// token rotation with reuse detection, and revocation. HTTP lives in the Gateway module.
///
/// Rules it keeps (RFC 6749, RFC 6819, MedMij):
/// - a code is random (256 bits), stored hashed, single use, valid 60 s, bound to client, redirect URI,
///   patient and grant; a second presentation revokes everything its first use issued;
/// - access tokens live 15 minutes (never beyond the consent) and are bound to the client certificate;
/// - a refresh token is single use: each use marks it used and issues a new one; presenting a used one
///   revokes the whole grant (RFC 6819 §5.2.2.3); it lives as long as the consent period.
///
/// ```swift
/// let server = AuthorizationServer(grants: OAuthGrantStore(database: db), tokens: tokenService, consents: check)
/// let code = try await server.issueCode(for: request)
/// let tokens = try await server.exchange(code: code.code, redirectURI: uri, client: client)
/// let next = try await server.refresh(tokens.refreshToken!, scope: nil, client: client)
/// ```
public struct AuthorizationServer: Sendable {
    public let grants: OAuthGrantStore
    public let tokens: TokenService
    public let consents: any GrantConsentCheck
    public let codeLifetime: Duration
    public let accessTokenLifetime: Duration

    public init(
        grants: OAuthGrantStore, tokens: TokenService, consents: any GrantConsentCheck, codeLifetime: Duration = .seconds(60),
        accessTokenLifetime: Duration = .seconds(900)
    ) {
        self.grants = grants
        self.tokens = tokens
        self.consents = consents
        self.codeLifetime = codeLifetime
        self.accessTokenLifetime = accessTokenLifetime
    }

    /// What the patient allowed on the consent screen, with the consent already recorded.
    public struct GrantRequest: Sendable, Hashable {
        public var partyID: String
        public var clientID: String
        public var patientID: String
        public var redirectURI: String
        public var scope: String
        public var consentID: String
        public var duration: ConsentDuration
        /// The end of the recorded consent (nil: until revoked).
        public var consentEnd: Date?

        public init(
            partyID: String, clientID: String, patientID: String, redirectURI: String, scope: String, consentID: String,
            duration: ConsentDuration, consentEnd: Date?
        ) {
            self.partyID = partyID
            self.clientID = clientID
            self.patientID = patientID
            self.redirectURI = redirectURI
            self.scope = scope
            self.consentID = consentID
            self.duration = duration
            self.consentEnd = consentEnd
        }
    }

    public struct IssuedCode: Sendable {
        /// The code text: goes into the redirect only, never into a log or the database.
        public var code: String
        public var grantID: String
    }

    /// A successful token response (RFC 6749 §5.1).
    public struct TokenGrant: Sendable {
        public var accessToken: String
        public var expiresIn: Int
        public var refreshToken: String?
        public var scope: String
        public var grantID: String
        public var patientID: String
    }

    /// Creates the grant and its authorization code.
    public func issueCode(for request: GrantRequest, now: Date = Date()) async throws -> IssuedCode {
        let code = SecretToken.generate()
        let nowMilliseconds = Instant.milliseconds(now)
        let grant = OAuthGrantRecord(
            grantID: "grant-" + UUID().uuidString.lowercased(), partyID: request.partyID, clientID: request.clientID,
            patientID: request.patientID, consentID: request.consentID, scope: request.scope, redirectURI: request.redirectURI,
            offline: request.duration.allowsRefresh, createdAtMilliseconds: nowMilliseconds,
            expiresAtMilliseconds: request.consentEnd.map(Instant.milliseconds))
        try await grants.insert(
            grant, codeHash: SecretToken.hash(code), codeExpiresAtMilliseconds: nowMilliseconds + codeLifetime.components.seconds * 1000)
        return IssuedCode(code: code, grantID: grant.grantID)
    }

    /// `grant_type=authorization_code`. Any presentation uses the code up; a failed one revokes the
    /// grant too, since its only code is gone.
    public func exchange(code: String, redirectURI: String, client: AuthenticatedClient, now: Date = Date())
        async throws -> TokenGrant
    {
        guard SecretToken.isWellFormed(code), let record = try await grants.code(hash: SecretToken.hash(code)) else {
            throw TokenRequestError.unknownCode
        }
        let nowMilliseconds = Instant.milliseconds(now)
        let grant = record.grant
        guard try await grants.markCodeUsed(hash: SecretToken.hash(code), at: nowMilliseconds) else {
            try await grants.revoke(grantID: grant.grantID, reason: "authorization code reused", at: nowMilliseconds)
            throw TokenRequestError.codeReused
        }
        let failure: TokenRequestError? =
            if grant.isRevoked { .grantRevoked }
            else if record.expiresAtMilliseconds.map({ nowMilliseconds >= $0 }) ?? true { .codeExpired }
            else if grant.clientID != client.clientID || grant.partyID != client.partyID { .codeIssuedToAnotherClient }
            else if grant.redirectURI != redirectURI { .redirectURIMismatch }
            else { nil }
        if let failure {
            try await grants.revoke(grantID: grant.grantID, reason: "token request refused: \(failure)", at: nowMilliseconds)
            throw failure
        }
        return try await issueTokens(for: grant, client: client, now: now)
    }

    /// `grant_type=refresh_token`: rotates the refresh token. A used one revokes the grant.
    public func refresh(_ refreshToken: String, scope: String?, client: AuthenticatedClient, now: Date = Date())
        async throws -> TokenGrant
    {
        let hash = SecretToken.hash(refreshToken)
        guard SecretToken.isWellFormed(refreshToken), let record = try await grants.refreshToken(hash: hash) else {
            throw TokenRequestError.unknownRefreshToken
        }
        let grant = record.grant
        let nowMilliseconds = Instant.milliseconds(now)
        guard grant.clientID == client.clientID, grant.partyID == client.partyID else {
            // Another client holding this token means it leaked: end the grant.
            try await grants.revoke(grantID: grant.grantID, reason: "refresh token presented by another client", at: nowMilliseconds)
            throw TokenRequestError.refreshTokenIssuedToAnotherClient
        }
        guard !grant.isRevoked, !record.revoked else { throw TokenRequestError.grantRevoked }
        guard try await grants.markRefreshTokenUsed(hash: hash, at: nowMilliseconds) else {
            try await grants.revoke(grantID: grant.grantID, reason: "refresh token reused", at: nowMilliseconds)
            throw TokenRequestError.refreshTokenReused
        }
        if record.expiresAtMilliseconds.map({ nowMilliseconds >= $0 }) ?? false || grant.hasExpired(at: nowMilliseconds) {
            throw TokenRequestError.refreshTokenExpired
        }
        if let scope, scope != grant.scope { throw TokenRequestError.scopeNotGranted }
        return try await issueTokens(for: grant, client: client, now: now)
    }

    /// What a revocation request did (RFC 7009 answers 200 whatever it was).
    public enum Revocation: Sendable, Hashable {
        /// A refresh token: its whole grant is revoked.
        case grantRevoked(grantID: String, consentID: String, patientID: String)
        case accessTokenRevoked
        /// Unknown, malformed or another client's token: nothing changed.
        case nothing
    }

    /// RFC 7009. Both kinds of token are searched whatever `token_type_hint` says (the hint only
    /// speeds a lookup up, and both lookups are one indexed read). Revoking a refresh token revokes
    /// its grant; another client's token is left alone.
    public func revoke(_ token: String, client: AuthenticatedClient, now: Date = Date()) async throws -> Revocation {
        guard SecretToken.isWellFormed(token) else { return .nothing }
        if let record = try await grants.refreshToken(hash: SecretToken.hash(token)) {
            guard record.grant.clientID == client.clientID, record.grant.partyID == client.partyID else { return .nothing }
            try await grants.revoke(grantID: record.grant.grantID, reason: "revoked by the client", at: Instant.milliseconds(now))
            return .grantRevoked(grantID: record.grant.grantID, consentID: record.grant.consentID, patientID: record.grant.patientID)
        }
        return try await tokens.revoke(token, partyID: client.partyID) ? .accessTokenRevoked : .nothing
    }

    /// Access token (15 minutes, never past the consent) bound to the presenting certificate, and a
    /// new refresh token for offline grants. The consent is checked first: a revoked consent ends the grant.
    private func issueTokens(for grant: OAuthGrantRecord, client: AuthenticatedClient, now: Date) async throws -> TokenGrant {
        let nowMilliseconds = Instant.milliseconds(now)
        guard try await consents.isInForce(consentID: grant.consentID, at: now) else {
            try await grants.revoke(grantID: grant.grantID, reason: "consent no longer in force", at: nowMilliseconds)
            throw TokenRequestError.consentNotInForce
        }
        var lifetimeSeconds = accessTokenLifetime.components.seconds
        if let end = grant.expiresAtMilliseconds {
            lifetimeSeconds = min(lifetimeSeconds, max(0, (end - nowMilliseconds) / 1000))
        }
        guard lifetimeSeconds > 0 else { throw TokenRequestError.consentNotInForce }
        let access = try await tokens.issue(
            partyID: client.partyID, certificateFingerprint: client.certificateFingerprint, patientID: grant.patientID,
            lifetime: .seconds(lifetimeSeconds), grantID: grant.grantID, now: now)
        var refresh: String?
        if grant.offline {
            let token = SecretToken.generate()
            try await grants.insertRefreshToken(
                hash: SecretToken.hash(token), grantID: grant.grantID, issuedAtMilliseconds: nowMilliseconds,
                expiresAtMilliseconds: grant.expiresAtMilliseconds)
            refresh = token
        }
        return TokenGrant(
            accessToken: access.token, expiresIn: Int(lifetimeSeconds), refreshToken: refresh, scope: grant.scope,
            grantID: grant.grantID, patientID: grant.patientID)
    }
}
