import Exchange
import Consent
import FHIR
import Foundation
import Store
import Testing

@testable import Gateway

@Suite("MedMij authorization flow: authorize, login, consent, code")
struct OAuthFlowTests {
    @Test("the full code flow gives a certificate-bound token that reads the patient's BgZ")
    func fullFlow() async throws {
        try await OAuthFlow.withGateway { gateway in
            let code = try await OAuthFlow.authorizationCode(gateway, period: "3-months")
            let reply = try await OAuthFlow.exchange(gateway, code: code)
            #expect(reply.status == 200)
            #expect(reply.header("cache-control") == "no-store")
            #expect(reply.header("pragma") == "no-cache")
            let json = try OAuthFlow.json(reply)
            #expect(json["token_type"] as? String == "Bearer")
            #expect(json["expires_in"] as? Int == 900)
            #expect(json["scope"] as? String == OAuthFlow.scope)
            #expect(json["refresh_token"] is String)
            #expect(json["patient"] == nil, "MedMij's token response names no patient")
            let token = try #require(json["access_token"] as? String)

            // The consent the decision point uses: collect by this one app, the BgZ sections, three months.
            let consents = try await ConsentRepository(database: gateway.database).latestVersions(patientID: "p1")
            let consent = try #require(consents.first)
            #expect(consents.count == 1)
            #expect(consent.root.type == .permit)
            #expect(consent.root.actors == [.pgoApp(OAuthFlow.clientID)])
            #expect(consent.root.actions == [.collect])
            #expect(Set(consent.root.categories) == Set(BgZConsent.categories))
            let days = try #require(consent.validity.end).timeIntervalSince(consent.recordedAt) / 86_400
            #expect((89...93).contains(days))

            let patients = try await gateway.request(.GET, "/fhir/Patient", token: token)
            #expect(patients.status == 200)
            #expect(patients.text.contains("\"id\":\"p1\""))
            #expect(!patients.text.contains("\"id\":\"p2\""))
            let pressures = try await gateway.request(.GET, "/fhir/Observation?code=http://loinc.org%7C85354-9", token: token)
            #expect(pressures.status == 200)
            #expect(try pressures.json()["total"]?.numberValue?.intValue == 3)
            // The token is bound to the certificate it was issued to.
            #expect(try await gateway.request(.GET, "/fhir/Patient", as: .hospitalDemo, token: token).status == 401)
        }
    }

    @Test("'this time only' issues no refresh token and a consent that ends with the access token")
    func thisTimeOnly() async throws {
        try await OAuthFlow.withGateway { gateway in
            let code = try await OAuthFlow.authorizationCode(gateway, period: "once")
            let json = try OAuthFlow.json(try await OAuthFlow.exchange(gateway, code: code))
            #expect(json["access_token"] is String)
            #expect(json["refresh_token"] == nil)
            let consent = try #require(try await ConsentRepository(database: gateway.database).latestVersions(patientID: "p1").first)
            let minutes = try #require(consent.validity.end).timeIntervalSince(consent.recordedAt) / 60
            #expect(minutes <= 16)
        }
    }

    @Test("denying sends access_denied with the state back and records no consent")
    func deny() async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let consent = try await OAuthFlow.loginToConsent(browser, authenticator: Authenticator())
                let reply = try await browser.post("/oauth/consent", [("decision", "deny")], csrf: consent.csrf)
                #expect(reply.status == 302)
                #expect(reply.location?.hasPrefix(OAuthFlow.redirectURI + "?") == true)
                #expect(reply.redirectParameter("error") == "access_denied")
                #expect(reply.redirectParameter("state") == "state-123")
                #expect(reply.redirectParameter("code") == nil)
            }
            #expect(try await ConsentRepository(database: gateway.database).latestVersions(patientID: "p1").isEmpty)
        }
    }

    @Test("the landing and consent pages name the PGO organisation and list the data in plain words")
    func pagesNameTheApp() async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let landing = try await browser.get(OAuthFlow.authorizePath())
                #expect(landing.body.contains("Demo PGO app"))
                #expect(landing.body.contains("<html lang=\"nl\">"))
                let consent = try await OAuthFlow.loginToConsent(browser, authenticator: Authenticator())
                #expect(consent.status == 200)
                #expect(consent.body.contains("Demo PGO app"))
                for category in [DataCategory.medication, .allergies, .vitalSigns, .labResults] {
                    #expect(consent.body.contains(HTML.escape(category.display)), "\(category) is not listed")
                }
                for period in ["once", "3-months", "1-year", "until-revoked"] {
                    #expect(consent.body.contains("value=\"\(period)\""))
                }
            }
        }
    }

    @Test(
        "a client or redirect URI that cannot be trusted gets an error page, never a redirect",
        arguments: [
            OAuthFlow.authorizePath(clientID: "unknown.example"),
            OAuthFlow.authorizePath(clientID: ""),
            OAuthFlow.authorizePath(redirectURI: nil),
            OAuthFlow.authorizePath(redirectURI: "http://pgo-demo.zorgnet.test/callback"),
            OAuthFlow.authorizePath(redirectURI: "https://evil.example/callback"),
            OAuthFlow.authorizePath(redirectURI: "https://pgo-demo.zorgnet.test.evil.example/callback"),
            OAuthFlow.authorizePath(redirectURI: "https://pgo-demo.zorgnet.test:8443/callback"),
            OAuthFlow.authorizePath(redirectURI: "https://user@pgo-demo.zorgnet.test/callback"),
            OAuthFlow.authorizePath(redirectURI: "https://pgo-demo.zorgnet.test/callback?x=1"),
            OAuthFlow.authorizePath(redirectURI: "https://pgo-demo.zorgnet.test/callback#top"),
        ])
    func untrustedClientOrRedirect(_ path: String) async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let page = try await browser.get(path)
                #expect(page.status == 400)
                #expect(page.location == nil)
                #expect(page.header("content-type")?.hasPrefix("text/html") == true)
                #expect(page.body.contains("Trace-ID"))
            }
        }
    }

    @Test("the landing page and the consent screen name the app as the OCL in force does")
    func oclOrganisationName() async throws {
        try await OAuthFlow.withGateway { gateway in
            let lists = ListAdministrationTests.administration(gateway)
            try await lists.load(.oauthClientList, file: try ListAdministrationTests.oclListing(try await ListAdministrationTests.demoFingerprint(gateway)))
            try await lists.setClient(
                OAuthClient(hostname: OAuthFlow.clientID, organisationName: "Gezondheidsapp Noord B.V.",
                            certificateFingerprints: [try await ListAdministrationTests.demoFingerprint(gateway)]))
            try await Browser.using(gateway) { browser in
                let landing = try await browser.get(OAuthFlow.authorizePath())
                #expect(landing.body.contains("Gezondheidsapp Noord B.V."))
                #expect(!landing.body.contains("Demo PGO app"))
                let consent = try await OAuthFlow.loginToConsent(browser, authenticator: Authenticator())
                #expect(consent.body.contains("Gezondheidsapp Noord B.V."))
                #expect(!consent.body.contains("Demo PGO app"))
            }
        }
    }

    @Test("an app whose host is not on the MedMij Whitelist in force gets the error page")
    func clientNotOnWhitelist() async throws {
        try await OAuthFlow.withGateway { gateway in
            let lists = ListAdministrationTests.administration(gateway)
            try await lists.load(.whitelist, file: ListAdministrationTests.fixture(.whitelist))
            try await lists.removeNode(hostname: OAuthFlow.clientID)
            try await Browser.using(gateway) { browser in
                let refused = try await browser.get(OAuthFlow.authorizePath())
                #expect(refused.status == 400)
                #expect(refused.location == nil)
                try await lists.addNode(hostname: OAuthFlow.clientID)
                let admitted = try await browser.get(OAuthFlow.authorizePath())
                #expect(admitted.status == 200)
            }
        }
    }

    @Test("a suspended app gets the error page too")
    func suspendedClient() async throws {
        try await OAuthFlow.withGateway { gateway in
            try await PartyRegistry(database: gateway.database).setStatus(partyID: "pgo-demo", .suspended)
            try await Browser.using(gateway) { browser in
                let page = try await browser.get(OAuthFlow.authorizePath())
                #expect(page.status == 400)
                #expect(page.location == nil)
            }
        }
    }

    @Test(
        "other faults go back to the app as OAuth errors with the state",
        arguments: [
            (OAuthFlow.authorizePath(responseType: nil), "invalid_request", "state-123"),
            (OAuthFlow.authorizePath(responseType: "token"), "unsupported_response_type", "state-123"),
            (OAuthFlow.authorizePath(state: nil), "invalid_request", nil),
            (OAuthFlow.authorizePath(scope: nil), "invalid_request", "state-123"),
            (OAuthFlow.authorizePath(scope: "otherprovider"), "invalid_scope", "state-123"),
            (OAuthFlow.authorizePath(extra: [("scope", "zorgnet")]), "invalid_request", "state-123"),
        ] as [(String, String, String?)])
    func faultsRedirect(_ path: String, _ error: String, _ state: String?) async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let reply = try await browser.get(path)
                #expect(reply.status == 302)
                #expect(reply.location?.hasPrefix(OAuthFlow.redirectURI + "?") == true)
                #expect(reply.redirectParameter("error") == error)
                #expect(reply.redirectParameter("error_description") != nil)
                #expect(reply.redirectParameter("state") == state)
            }
        }
    }

    @Test("unknown parameters and the MedMij request ids are accepted; the ids reach the audit log")
    func unknownParametersIgnored() async throws {
        try await OAuthFlow.withGateway { gateway in
            let path = OAuthFlow.authorizePath(extra: [
                ("MedMij-Request-ID", "57510be1-73e6-4a75-9db8-ee005cced48f"),
                ("X-Correlation-ID", "c0e7b545-9606-4eef-bea7-75d8addaa54b"), ("something_else", "x"),
            ])
            let status = try await Browser.using(gateway) { browser in try await browser.get(path).status }
            #expect(status == 200)
            let details = try await gateway.auditRecords().compactMap(\.event.detail)
            #expect(details.contains { $0.contains("57510be1-73e6-4a75-9db8-ee005cced48f") && $0.contains("show_landing_page") })
        }
    }

    @Test("no code, token or BSN ever reaches the audit log, even when the token request uses the query string")
    func auditHoldsNoSecrets() async throws {
        try await OAuthFlow.withGateway { gateway in
            let code = try await OAuthFlow.authorizationCode(gateway, period: "1-year")
            let query = "grant_type=authorization_code&code=\(code)&redirect_uri=\(Browser.encode(OAuthFlow.redirectURI))"
            let reply = try await gateway.request(.POST, "/oauth/token?" + query)
            #expect(reply.status == 200, "the query string is accepted too")
            let json = try OAuthFlow.json(reply)
            let secrets = [code, json["access_token"] as? String, json["refresh_token"] as? String, TestData.bsnOfP1].compactMap { $0 }
            #expect(secrets.count == 4)
            let records = try await gateway.auditRecords()
            let logged = records.map { "\($0.event.path) \($0.event.detail ?? "")" }.joined(separator: "\n")
            for secret in secrets { #expect(!logged.contains(secret)) }
            #expect(logged.contains("/oauth/token?grant_type=authorization_code&code=redacted"))
            for secret in secrets { #expect(!gateway.logs.all.contains(secret)) }
        }
    }
}
