import Foundation
import GRDB
import Store
import Synchronization
import Testing

@testable import Auth

/// A consent check the test can turn off, as a revocation in the portal would.
final class SwitchableConsent: GrantConsentCheck {
    private let inForce = Mutex(true)

    func set(_ value: Bool) { inForce.withLock { $0 = value } }

    func isInForce(consentID: String, at date: Date) async throws -> Bool { inForce.withLock { $0 } }
}

@Suite("Authorization server: codes, grants, refresh rotation, revocation")
struct AuthorizationServerTests {
    static let client = AuthenticatedClient(partyID: "pgo", clientID: "pgo.example.nl", certificateFingerprint: "ab12")
    static let other = AuthenticatedClient(partyID: "pgo2", clientID: "pgo2.example.nl", certificateFingerprint: "cd34")

    /// A server on a fresh database with the two apps registered.
    static func withServer(_ body: (AuthorizationServer, SwitchableConsent) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let database = try GatewayDatabase(path: (directory as NSString).appendingPathComponent("gateway.sqlite"))
            let registry = PartyRegistry(database: database)
            for client in [client, other] {
                try await registry.register(
                    Party(partyID: client.partyID, kind: .app, displayName: client.partyID, clientID: client.clientID),
                    certificate: PartyCertificate(
                        fingerprintSHA256: client.certificateFingerprint, partyID: client.partyID, subject: "CN=\(client.clientID)",
                        notValidAfter: "2099-01-01T00:00:00.000Z"))
            }
            let consent = SwitchableConsent()
            let server = AuthorizationServer(
                grants: OAuthGrantStore(database: database), tokens: TokenService(store: AccessTokenStore(database: database)),
                consents: consent)
            try await body(server, consent)
            try database.close()
        }
    }

    static func request(_ duration: ConsentDuration = .oneYear, end: Date? = Date().addingTimeInterval(365 * 86_400))
        -> AuthorizationServer.GrantRequest
    {
        .init(
            partyID: client.partyID, clientID: client.clientID, patientID: "p1", redirectURI: "https://pgo.example.nl/cb",
            scope: "zorgnet", consentID: "c1", duration: duration, consentEnd: end)
    }

    @Test("a code is exchanged once for a certificate-bound token and a refresh token")
    func exchange() async throws {
        try await Self.withServer { server, _ in
            let code = try await server.issueCode(for: Self.request())
            let granted = try await server.exchange(code: code.code, redirectURI: "https://pgo.example.nl/cb", client: Self.client)
            #expect(granted.expiresIn == 900)
            #expect(granted.refreshToken != nil)
            #expect(granted.patientID == "p1")
            let grant = try await server.tokens.validate(granted.accessToken, presentedCertificateFingerprint: "ab12", partyID: "pgo")
            #expect(grant.patientID == "p1")
            await #expect(throws: TokenService.ValidationError.certificateMismatch) {
                try await server.tokens.validate(granted.accessToken, presentedCertificateFingerprint: "ffff", partyID: "pgo")
            }
            await #expect(throws: TokenRequestError.codeReused) {
                try await server.exchange(code: code.code, redirectURI: "https://pgo.example.nl/cb", client: Self.client)
            }
            await #expect(throws: TokenService.ValidationError.revoked) {
                try await server.tokens.validate(granted.accessToken, presentedCertificateFingerprint: "ab12", partyID: "pgo")
            }
        }
    }

    @Test("a code lives 60 seconds from its issue, as MedMij asks")
    func codeLifetime() async throws {
        try await Self.withServer { server, _ in
            let before = Int64(Date().timeIntervalSince1970 * 1000)
            _ = try await server.issueCode(for: Self.request())
            let after = Int64(Date().timeIntervalSince1970 * 1000)
            let expires = try #require(try await server.grants.database.pool.read { db in try Int64.fetchOne(db, sql: "SELECT expires_at_ms FROM oauth_code") })
            #expect(expires >= before + 60_000 && expires <= after + 60_000, "expires \(expires - before) ms after issue")
        }
    }

    @Test("no code is stored in the clear")
    func codesHashed() async throws {
        try await Self.withServer { server, _ in
            let code = try await server.issueCode(for: Self.request())
            let rows = try await server.grants.database.pool.read { db in try Data.fetchAll(db, sql: "SELECT code_hash FROM oauth_code") }
            #expect(rows == [Data(SecretToken.hash(code.code))])
        }
    }

    @Test(
        "a code presented wrongly is refused and spent",
        arguments: [
            ("https://pgo.example.nl/other", false, TokenRequestError.redirectURIMismatch),
            ("https://pgo.example.nl/cb", true, TokenRequestError.codeIssuedToAnotherClient),
        ])
    func wrongPresentation(_ redirectURI: String, _ otherClient: Bool, _ expected: TokenRequestError) async throws {
        try await Self.withServer { server, _ in
            let code = try await server.issueCode(for: Self.request())
            await #expect(throws: expected) {
                try await server.exchange(code: code.code, redirectURI: redirectURI, client: otherClient ? Self.other : Self.client)
            }
            await #expect(throws: TokenRequestError.codeReused) {
                try await server.exchange(code: code.code, redirectURI: "https://pgo.example.nl/cb", client: Self.client)
            }
        }
    }

    @Test("refresh tokens rotate, and a reused one revokes the grant")
    func rotation() async throws {
        try await Self.withServer { server, _ in
            let code = try await server.issueCode(for: Self.request())
            let first = try await server.exchange(code: code.code, redirectURI: "https://pgo.example.nl/cb", client: Self.client)
            let second = try await server.refresh(try #require(first.refreshToken), scope: nil, client: Self.client)
            #expect(second.refreshToken != first.refreshToken)
            await #expect(throws: TokenRequestError.refreshTokenReused) {
                try await server.refresh(try #require(first.refreshToken), scope: nil, client: Self.client)
            }
            await #expect(throws: TokenRequestError.grantRevoked) {
                try await server.refresh(try #require(second.refreshToken), scope: nil, client: Self.client)
            }
            #expect(try await server.grants.grant(id: second.grantID)?.revocationReason == "refresh token reused")
        }
    }

    @Test("a refresh with a wider scope is refused; another client's refresh token ends the grant")
    func refreshScopeAndClient() async throws {
        try await Self.withServer { server, _ in
            let code = try await server.issueCode(for: Self.request())
            let first = try await server.exchange(code: code.code, redirectURI: "https://pgo.example.nl/cb", client: Self.client)
            let refresh = try #require(first.refreshToken)
            await #expect(throws: TokenRequestError.refreshTokenIssuedToAnotherClient) {
                try await server.refresh(refresh, scope: nil, client: Self.other)
            }
            await #expect(throws: TokenRequestError.grantRevoked) { try await server.refresh(refresh, scope: nil, client: Self.client) }
        }
    }

    @Test("a consent that is no longer in force ends the grant at the next refresh")
    func consentEnded() async throws {
        try await Self.withServer { server, consent in
            let code = try await server.issueCode(for: Self.request())
            let first = try await server.exchange(code: code.code, redirectURI: "https://pgo.example.nl/cb", client: Self.client)
            consent.set(false)
            await #expect(throws: TokenRequestError.consentNotInForce) {
                try await server.refresh(try #require(first.refreshToken), scope: nil, client: Self.client)
            }
            #expect(try await server.grants.grant(id: first.grantID)?.isRevoked == true)
        }
    }

    @Test("'this time only' gives no refresh token, and no token outlives the consent")
    func once() async throws {
        try await Self.withServer { server, _ in
            let code = try await server.issueCode(for: Self.request(.once, end: Date().addingTimeInterval(300)))
            let granted = try await server.exchange(code: code.code, redirectURI: "https://pgo.example.nl/cb", client: Self.client)
            #expect(granted.refreshToken == nil)
            #expect((298...300).contains(granted.expiresIn))
        }
    }

    @Test("revoking a refresh token revokes its grant; another client's token is left alone")
    func revoke() async throws {
        try await Self.withServer { server, _ in
            let code = try await server.issueCode(for: Self.request())
            let granted = try await server.exchange(code: code.code, redirectURI: "https://pgo.example.nl/cb", client: Self.client)
            let refresh = try #require(granted.refreshToken)
            #expect(try await server.revoke(refresh, client: Self.other) == .nothing)
            #expect(try await server.revoke("not-a-token-of-ours-at-all", client: Self.client) == .nothing)
            #expect(try await server.revoke(refresh, client: Self.client) == .grantRevoked(grantID: granted.grantID, consentID: "c1", patientID: "p1"))
            await #expect(throws: TokenService.ValidationError.revoked) {
                try await server.tokens.validate(granted.accessToken, presentedCertificateFingerprint: "ab12", partyID: "pgo")
            }
        }
    }
}
