import Consent
import Foundation
import Store
import Testing

@testable import Gateway

@Suite("Patient portal: login, my apps, revocation")
struct PortalAppsTests {
    @Test(
        "without a logged-in patient every portal page redirects to the login page",
        arguments: ["/portal", "/portal/apps", "/portal/providers", "/portal/members", "/portal/access-log"])
    func redirectsToLogin(_ path: String) async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let page = try await browser.get(path)
                #expect(page.status == 303)
                #expect(page.location == "/login")
                // A login stopped before its second factor is no login either.
                let login = try await browser.get("/login")
                _ = try await browser.post("/login/digid-standin", [("bsn", TestData.bsnOfP1)], csrf: login.csrf)
                #expect(try await browser.get(path).location == "/login")
            }
        }
    }

    @Test("a professional's login is refused: the portal is the patient's own")
    func professionalRefused() async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let login = try await browser.get("/login")
                let submitted = try await browser.post("/login/uzi-standin", [("choice", "123456789")], csrf: login.csrf)
                #expect(submitted.status == 303)
                let page = try await browser.get("/portal/apps")
                #expect(page.status == 403)
                #expect(page.body.contains("Dit portaal is voor de patiënt zelf"))
            }
        }
    }

    @Test("after the OAuth flow 'my apps' lists the app by name with its period and data, and the view is audited")
    func appsListTheApp() async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                _ = try await PortalFlow.connectApp(gateway, browser: browser, period: "3-months")
                let page = try await browser.get("/portal/apps")
                #expect(page.status == 200)
                #expect(page.body.contains("<th scope=\"row\">Demo PGO app</th>"))
                #expect(page.body.contains("<th scope=\"col\">Welke gegevens</th>"))
                #expect(page.body.contains(HTML.escape(DataCategory.medication.display)))
                #expect(!page.body.contains("tot u het intrekt"), "a three-month consent has an end date")
                #expect(page.body.contains("name=\"client_id\" value=\"\(OAuthFlow.clientID)\""))
                #expect(page.body.contains("aria-label=\"Toegang van Demo PGO app intrekken\""))
                #expect(page.body.contains("aria-current=\"page\""))
                #expect(!page.body.contains("<script"))
            }
            let views = try await gateway.auditRecords().filter { $0.event.path == "/portal/apps" }
            #expect(views.count == 1)
            #expect(views.first?.event.channel == .front)
            #expect(views.first?.event.patientID == "p1")
            #expect(views.first?.event.status == 200)
        }
    }

    @Test("revoking an app: the same token answers 401, its refresh token gets invalid_grant, the consent has a revoked version")
    func revokeApp() async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let tokens = try await PortalFlow.connectApp(gateway, browser: browser, period: "1-year")
                #expect(try await OAuthFlow.patientStatus(gateway, token: tokens.access) == 200)

                let apps = try await browser.get("/portal/apps")
                let revoked = try await browser.post("/portal/apps/revoke", [("client_id", OAuthFlow.clientID)], csrf: apps.csrf)
                #expect(revoked.status == 303)
                #expect(revoked.location == "/portal/apps?revoked=\(QueryString.encode(OAuthFlow.clientID))")

                #expect(try await OAuthFlow.patientStatus(gateway, token: tokens.access) == 401)
                let refresh = try await OAuthFlow.refresh(gateway, tokens.refresh)
                #expect(refresh.status == 400)
                #expect(try OAuthFlow.json(refresh)["error"] as? String == "invalid_grant")

                let consent = try #require(try await PortalFlow.appConsents(gateway).first)
                #expect(consent.status == .inactive)
                #expect(consent.version == 2)

                let after = try await browser.get(try #require(revoked.location))
                #expect(after.body.contains("role=\"status\""))
                #expect(after.body.contains("De toegang van Demo PGO app is ingetrokken."))
                #expect(!after.body.contains("name=\"client_id\""))
            }
            let event = try #require(try await gateway.auditRecords().last { $0.event.path == "/portal/apps/revoke" })
            #expect(event.event.patientID == "p1")
            #expect(event.event.detail?.contains("1 grant(s)") == true)
            #expect(event.event.entities.first?.hasPrefix("Consent/") == true)
        }
    }

    @Test("revoking also ends access tokens issued by hand to that app for that patient")
    func revokeEndsHandIssuedTokens() async throws {
        try await PortalFlow.withGateway { gateway in
            let token = try await gateway.token(patient: "p1")
            #expect(try await OAuthFlow.patientStatus(gateway, token: token) == 200)
            try await Browser.using(gateway) { browser in
                try await PortalFlow.login(browser)
                let apps = try await browser.get("/portal/apps")
                #expect(apps.body.contains("Alle gegevens"))
                #expect(apps.body.contains("tot u het intrekt"))
                let revoked = try await browser.post("/portal/apps/revoke", [("client_id", OAuthFlow.clientID)], csrf: apps.csrf)
                #expect(revoked.status == 303)
            }
            #expect(try await OAuthFlow.patientStatus(gateway, token: token) == 401)
        }
    }

    @Test("a revoke POST without the session's CSRF token gets 403 and changes nothing", arguments: [nil, "forged-token"])
    func revokeNeedsCSRF(_ token: String?) async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let tokens = try await PortalFlow.connectApp(gateway, browser: browser)
                let refused = try await browser.post("/portal/apps/revoke", [("client_id", OAuthFlow.clientID)], csrf: token)
                #expect(refused.status == 403)
                #expect(refused.location == nil)
                #expect(try await OAuthFlow.patientStatus(gateway, token: tokens.access) == 200)
                let consent = try #require(try await PortalFlow.appConsents(gateway).first)
                #expect(consent.status == .active)
                #expect(consent.version == 1)
                #expect(try await OAuthFlow.refresh(gateway, tokens.refresh).status == 200)
            }
        }
    }

    @Test("the portal renders in Dutch and in English", arguments: [("nl", "Mijn apps", "Wie keek in mijn gegevens"), ("en-GB,en;q=0.9", "My apps", "Who looked at my data")])
    func languages(_ language: String, _ apps: String, _ accessLog: String) async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway, language: language) { browser in
                try await PortalFlow.login(browser)
                let expected = language.hasPrefix("en") ? "en" : "nl"
                for path in ["/portal", "/portal/apps", "/portal/providers", "/portal/members", "/portal/access-log"] {
                    let page = try await browser.get(path)
                    #expect(page.status == 200, "\(path)")
                    #expect(page.body.contains("<html lang=\"\(expected)\">"), "\(path)")
                    #expect(page.header("content-language") == expected)
                    #expect(page.body.contains(HTML.escape(apps)))
                    #expect(page.body.contains(HTML.escape(accessLog)))
                    #expect(page.body.contains("<h1>"))
                }
            }
        }
    }

    @Test("another patient's apps are never shown and cannot be revoked from this patient's session")
    func otherPatientsApps() async throws {
        try await PortalFlow.withGateway { gateway in
            _ = try await OAuthFlow.registerOtherApp(gateway)
            let other = try await gateway.grantConsent(patient: "p2", categories: [.everything], partyID: "pgo-other")
            try await Browser.using(gateway) { browser in
                try await PortalFlow.login(browser)
                let apps = try await browser.get("/portal/apps")
                #expect(!apps.body.contains("Andere PGO"))
                #expect(!apps.body.contains("pgo-other.zorgnet.test"))
                let refused = try await browser.post("/portal/apps/revoke", [("client_id", "pgo-other.zorgnet.test")], csrf: apps.csrf)
                #expect(refused.status == 400)
            }
            let latest = try #require(try await ConsentRepository(database: gateway.database).latest(id: other.id))
            #expect(latest.status == .active)
            #expect(latest.version == 1)
        }
    }
}
