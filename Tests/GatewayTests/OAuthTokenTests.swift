import Audit
import Consent
import Foundation
import GRDB
import Store
import Testing

@testable import Gateway

@Suite("MedMij token and revocation endpoints")
struct OAuthTokenTests {
    @Test("a reused code is refused with invalid_grant and the tokens of its first use are revoked")
    func codeReuse() async throws {
        try await OAuthFlow.withGateway { gateway in
            let code = try await OAuthFlow.authorizationCode(gateway)
            let first = try OAuthFlow.json(try await OAuthFlow.exchange(gateway, code: code))
            let access = try #require(first["access_token"] as? String)
            let refresh = try #require(first["refresh_token"] as? String)
            #expect(try await OAuthFlow.patientStatus(gateway, token: access) == 200)

            let again = try await OAuthFlow.exchange(gateway, code: code)
            #expect(again.status == 400)
            #expect(try OAuthFlow.json(again)["error"] as? String == "invalid_grant")
            let misuse = try #require(try await gateway.auditRecords().last?.event)
            #expect(misuse.kind == .tokenMisuse)
            #expect(misuse.status == 400)
            #expect(try await OAuthFlow.patientStatus(gateway, token: access) == 401)
            #expect(try OAuthFlow.json(try await OAuthFlow.refresh(gateway, refresh))["error"] as? String == "invalid_grant")
        }
    }

    @Test("a redirect URI other than the authorization request's is refused at token time, and the code is gone")
    func redirectMismatchAtTokenTime() async throws {
        try await OAuthFlow.withGateway { gateway in
            let code = try await OAuthFlow.authorizationCode(gateway)
            let reply = try await OAuthFlow.exchange(gateway, code: code, redirectURI: "https://pgo-demo.zorgnet.test/other")
            #expect(reply.status == 400)
            #expect(try OAuthFlow.json(reply)["error"] as? String == "invalid_grant")
            #expect(try OAuthFlow.json(try await OAuthFlow.exchange(gateway, code: code))["error"] as? String == "invalid_grant")
        }
    }

    @Test("the certificate of another client gets invalid_client; a code issued to another app gets invalid_grant")
    func otherClient() async throws {
        try await OAuthFlow.withGateway { gateway in
            let otherApp = try await OAuthFlow.registerOtherApp(gateway)
            let code = try await OAuthFlow.authorizationCode(gateway)

            let claimingDemo = try await OAuthFlow.exchange(gateway, code: code, tls: otherApp)
            #expect(claimingDemo.status == 401)
            #expect(try OAuthFlow.json(claimingDemo)["error"] as? String == "invalid_client")

            let hospital = try await OAuthFlow.exchange(gateway, code: code, as: .hospitalDemo)
            #expect(hospital.status == 401)
            #expect(try OAuthFlow.json(hospital)["error"] as? String == "invalid_client")

            // Without client_id the client is the certificate's: the other app, which the code was not issued to.
            let asItself = try await OAuthFlow.exchange(gateway, code: code, clientID: nil, tls: otherApp)
            #expect(asItself.status == 400)
            #expect(try OAuthFlow.json(asItself)["error"] as? String == "invalid_grant")
        }
    }

    @Test("refresh tokens rotate; presenting a used one revokes the whole grant")
    func refreshRotationAndReuse() async throws {
        try await OAuthFlow.withGateway { gateway in
            let code = try await OAuthFlow.authorizationCode(gateway, period: "1-year")
            let first = try OAuthFlow.json(try await OAuthFlow.exchange(gateway, code: code))
            let firstRefresh = try #require(first["refresh_token"] as? String)

            let rotated = try await OAuthFlow.refresh(gateway, firstRefresh)
            #expect(rotated.status == 200)
            #expect(rotated.header("cache-control") == "no-store")
            let second = try OAuthFlow.json(rotated)
            let secondAccess = try #require(second["access_token"] as? String)
            let secondRefresh = try #require(second["refresh_token"] as? String)
            #expect(secondRefresh != firstRefresh)
            #expect(try await OAuthFlow.patientStatus(gateway, token: secondAccess) == 200)

            let reuse = try await OAuthFlow.refresh(gateway, firstRefresh)
            #expect(reuse.status == 400)
            #expect(try OAuthFlow.json(reuse)["error"] as? String == "invalid_grant")
            #expect(try await OAuthFlow.patientStatus(gateway, token: secondAccess) == 401)
            #expect(try await OAuthFlow.patientStatus(gateway, token: try #require(first["access_token"] as? String)) == 401)
            #expect(try OAuthFlow.json(try await OAuthFlow.refresh(gateway, secondRefresh))["error"] as? String == "invalid_grant")
        }
    }

    @Test("revoking a refresh token ends the grant and the patient's consent; unknown tokens get 200 too")
    func revocation() async throws {
        try await OAuthFlow.withGateway { gateway in
            let code = try await OAuthFlow.authorizationCode(gateway, period: "until-revoked")
            let tokens = try OAuthFlow.json(try await OAuthFlow.exchange(gateway, code: code))
            let access = try #require(tokens["access_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)
            let form = ["Content-Type": "application/x-www-form-urlencoded"].map { ($0.key, $0.value) }

            let unknown = try await gateway.request(.POST, "/oauth/revoke", headers: form, body: Array("token=nothing-like-a-token-at-all".utf8))
            #expect(unknown.status == 200)
            #expect(try await OAuthFlow.patientStatus(gateway, token: access) == 200)

            let revoked = try await gateway.request(.POST, "/oauth/revoke", headers: form, body: Array("token=\(refresh)&token_type_hint=refresh_token".utf8))
            #expect(revoked.status == 200)
            #expect(try await OAuthFlow.patientStatus(gateway, token: access) == 401)
            #expect(try OAuthFlow.json(try await OAuthFlow.refresh(gateway, refresh))["error"] as? String == "invalid_grant")
            let consent = try #require(try await ConsentRepository(database: gateway.database).latestVersions(patientID: "p1").first)
            #expect(consent.status == .inactive)

            let missing = try await gateway.request(.POST, "/oauth/revoke", headers: form, body: [])
            #expect(missing.status == 400)
            #expect(try OAuthFlow.json(missing)["error"] as? String == "invalid_request")
        }
    }

    @Test("revoking an access token revokes that token only")
    func revokeAccessToken() async throws {
        try await OAuthFlow.withGateway { gateway in
            let code = try await OAuthFlow.authorizationCode(gateway)
            let tokens = try OAuthFlow.json(try await OAuthFlow.exchange(gateway, code: code))
            let access = try #require(tokens["access_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)
            let reply = try await gateway.request(
                .POST, "/oauth/revoke", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("token=\(access)".utf8))
            #expect(reply.status == 200)
            #expect(try await OAuthFlow.patientStatus(gateway, token: access) == 401)
            #expect(try await OAuthFlow.refresh(gateway, refresh).status == 200)
        }
    }

    @Test("an expired access token gets 401")
    func expiredAccessToken() async throws {
        try await OAuthFlow.withGateway { gateway in
            let code = try await OAuthFlow.authorizationCode(gateway)
            let access = try #require(try OAuthFlow.json(try await OAuthFlow.exchange(gateway, code: code))["access_token"] as? String)
            #expect(try await OAuthFlow.patientStatus(gateway, token: access) == 200)
            try await gateway.database.pool.write { db in
                try db.execute(sql: "UPDATE access_token SET expires_at_ms = ?", arguments: [Instant.milliseconds(Date()) - 1])
            }
            #expect(try await OAuthFlow.patientStatus(gateway, token: access) == 401)
        }
    }

    @Test("an expired code gets invalid_grant")
    func expiredCode() async throws {
        try await OAuthFlow.withGateway { gateway in
            let code = try await OAuthFlow.authorizationCode(gateway)
            try await gateway.database.pool.write { db in
                try db.execute(sql: "UPDATE oauth_code SET expires_at_ms = ?", arguments: [Instant.milliseconds(Date()) - 1])
            }
            #expect(try OAuthFlow.json(try await OAuthFlow.exchange(gateway, code: code))["error"] as? String == "invalid_grant")
        }
    }

    @Test(
        "malformed token requests get the RFC 6749 error that names the fault",
        arguments: [
            ([("code", "x"), ("redirect_uri", OAuthFlow.redirectURI)], "invalid_request"),
            ([("grant_type", "authorization_code"), ("redirect_uri", OAuthFlow.redirectURI)], "invalid_request"),
            ([("grant_type", "authorization_code"), ("code", "abcdefghijklmnopqrstuvwxyz")], "invalid_request"),
            ([("grant_type", "password"), ("username", "u"), ("password", "p")], "unsupported_grant_type"),
            ([("grant_type", "client_credentials")], "unsupported_grant_type"),
            ([("grant_type", "refresh_token")], "invalid_request"),
            ([("grant_type", "refresh_token"), ("refresh_token", "abcdefghijklmnopqrstuvwxyz")], "invalid_grant"),
            ([("grant_type", "refresh_token"), ("grant_type", "refresh_token")], "invalid_request"),
            ([("grant_type", "authorization_code"), ("code", "abcdefghijklmnopqrstuvwxyz"), ("redirect_uri", OAuthFlow.redirectURI)],
             "invalid_grant"),
        ] as [([(String, String)], String)])
    func malformedRequests(_ fields: [(String, String)], _ error: String) async throws {
        try await OAuthFlow.withGateway { gateway in
            let reply = try await OAuthFlow.token(gateway, fields)
            #expect(reply.status == 400)
            #expect(try OAuthFlow.json(reply)["error"] as? String == error)
            #expect(reply.header("cache-control") == "no-store")
        }
    }

    @Test("a token request that is no form is invalid_request")
    func notAForm() async throws {
        try await OAuthFlow.withGateway { gateway in
            let reply = try await gateway.request(
                .POST, "/oauth/token", headers: [("Content-Type", "application/json")], body: Array("{\"grant_type\":\"refresh_token\"}".utf8))
            #expect(reply.status == 400)
            #expect(try OAuthFlow.json(reply)["error"] as? String == "invalid_request")
        }
    }
}
