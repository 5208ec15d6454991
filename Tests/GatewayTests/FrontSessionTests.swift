import Auth
import Consent
import Foundation
import GRDB
import Store
import Testing

@testable import Gateway

@Suite("Front-channel sessions, login and page security")
struct FrontSessionTests {
    @Test("the session cookie is __Host-, HttpOnly, Secure, SameSite=Strict, Path=/, and changes at login")
    func sessionCookie() async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let landing = try await browser.get(OAuthFlow.authorizePath())
                let cookie = try #require(landing.setCookies.first { $0.hasPrefix("__Host-zorgnet-session=") })
                let attributes = Set(cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
                #expect(attributes == ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"])
                let before = try #require(browser.sessionCookie)
                _ = try await OAuthFlow.loginToConsent(browser, authenticator: Authenticator())
                #expect(browser.sessionCookie != before, "a new session id after login (session fixation)")
                // Only the hash is stored.
                let stored = try await gateway.database.pool.read { db in try Data.fetchAll(db, sql: "SELECT session_hash FROM front_session") }
                #expect(!stored.contains(Data((browser.sessionCookie ?? "").utf8)))
                #expect(stored.contains(Data(SecretToken.hash(browser.sessionCookie ?? ""))))
            }
        }
    }

    @Test("pages carry the security headers, a lang attribute, one h1 and no script", arguments: ["/", "/login", "/assets/zorgnet.css"])
    func securityHeaders(_ path: String) async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let page = try await browser.get(path)
                #expect(page.status == 200)
                #expect(page.header("content-security-policy")?.contains("default-src 'self'") == true)
                #expect(page.header("content-security-policy")?.contains("frame-ancestors 'none'") == true)
                #expect(page.header("x-content-type-options") == "nosniff")
                #expect(page.header("referrer-policy") == "no-referrer")
                if path.hasPrefix("/assets") { return }
                #expect(page.header("cache-control") == "no-store")
                #expect(page.body.contains("<html lang=\"nl\">"))
                #expect(!page.body.contains("<script"))
                #expect(page.body.contains("<h1>"))
            }
        }
    }

    @Test("Accept-Language picks English; the switch link sets the language and comes back")
    func language() async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway, language: "en-GB,en;q=0.9,nl;q=0.5") { browser in
                let login = try await browser.get("/login")
                #expect(login.body.contains("<html lang=\"en\">"))
                #expect(login.body.contains("Log in with DigiD (stand-in)"))
                let switched = try await browser.get("/language?set=nl&back=%2Flogin")
                #expect(switched.status == 303)
                #expect(switched.location == "/login")
                #expect(try await browser.get("/login").body.contains("<html lang=\"nl\">"))
                #expect(try await browser.get("/language?set=en&back=https%3A%2F%2Fevil.example").location == "/")
            }
        }
    }

    @Test("a POST without the session's CSRF token gets 403 and changes nothing", arguments: [nil, "forged-token"])
    func csrf(_ token: String?) async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let consent = try await OAuthFlow.loginToConsent(browser, authenticator: Authenticator())
                #expect(consent.csrf != nil)
                let refused = try await browser.post("/oauth/consent", [("period", "1-year"), ("decision", "allow")], csrf: token)
                #expect(refused.status == 403)
                #expect(refused.location == nil)
                #expect(try await ConsentRepository(database: gateway.database).latestVersions(patientID: "p1").isEmpty)
                // The request is still pending: the real form still works.
                let allowed = try await browser.post("/oauth/consent", [("period", "1-year"), ("decision", "allow")], csrf: consent.csrf)
                #expect(allowed.status == 302)
            }
        }
    }

    @Test("a CSRF token of another session is refused")
    func csrfOfAnotherSession() async throws {
        try await OAuthFlow.withGateway { gateway in
            let otherToken = try await Browser.using(gateway) { other in try await other.get("/login").csrf }
            try await Browser.using(gateway) { browser in
                _ = try await browser.get("/login")
                let refused = try await browser.post("/login/digid-standin", [("bsn", TestData.bsnOfP1)], csrf: otherToken)
                #expect(refused.status == 403)
            }
        }
    }

    @Test("without --demo or loginStandIns the login page says no login method is configured")
    func standInsOff() async throws {
        try await OAuthFlow.withGateway(standIns: false) { gateway in
            try await Browser.using(gateway, language: "en") { browser in
                let login = try await browser.get("/login")
                #expect(login.status == 200)
                #expect(login.body.contains("No login method is configured"))
                #expect(!login.body.contains("digid-standin"))
                #expect(login.csrf == nil, "no login form at all")
                // Even with a valid form token (from the landing page's cancel form) the stand-in is not there.
                let landing = try await browser.get(OAuthFlow.authorizePath())
                let attempt = try await browser.post("/login/digid-standin", [("bsn", TestData.bsnOfP1)], csrf: landing.csrf)
                #expect(attempt.status == 404)
                #expect(try await ConsentRepository(database: gateway.database).latestVersions(patientID: "p1").isEmpty)
            }
        }
    }

    @Test(
        "the DigiD stand-in refuses a BSN that fails the eleven-test or has no PZC, without logging it",
        arguments: [("123456789", "elfproef"), ("999911", "negen cijfers"), ("999990019", "Bij dit BSN hoort geen")])
    func badBSN(_ bsn: String, _ message: String) async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let login = try await browser.get("/login")
                let refused = try await browser.post("/login/digid-standin", [("bsn", bsn)], csrf: login.csrf)
                #expect(refused.status == 400)
                #expect(refused.body.contains(message))
            }
            let logged = try await gateway.auditRecords().map { "\($0.event.path) \($0.event.detail ?? "")" }.joined()
            #expect(!logged.contains(bsn))
        }
    }

    @Test("wrong codes count per account, not per session: starting over does not buy new guesses, and a locked account refuses even the right code")
    func lockoutAcrossSessions() async throws {
        try await OAuthFlow.withGateway { gateway in
            let authenticator = Authenticator()
            try await Browser.using(gateway) { browser in
                _ = try await OAuthFlow.loginToConsent(browser, authenticator: authenticator)
            }
            var statuses: [Int] = []
            for _ in 0..<2 {
                try await Browser.using(gateway) { browser in
                    let login = try await browser.get("/login")
                    _ = try await browser.post("/login/digid-standin", [("choice", "pzc-p1")], csrf: login.csrf)
                    let factor = try await browser.get("/login/second-factor")
                    for _ in 0..<3 {
                        let wrong = try await browser.post("/login/second-factor", [("code", "000000")], csrf: factor.csrf)
                        statuses.append(wrong.status)
                        if wrong.status == 429 {
                            #expect(wrong.body.contains("Te vaak een onjuiste code voor dit account"))
                            break
                        }
                    }
                }
            }
            // Three wrong in the first session, then the fifth overall (the second in a new session) locks.
            #expect(statuses == [400, 400, 400, 400, 429])
            try await Browser.using(gateway) { browser in
                let login = try await browser.get("/login")
                _ = try await browser.post("/login/digid-standin", [("choice", "pzc-p1")], csrf: login.csrf)
                let factor = try await browser.get("/login/second-factor")
                let right = try await browser.post("/login/second-factor", [("code", try authenticator.nextCode())], csrf: factor.csrf)
                #expect(right.status == 429)
            }
            let events = try await gateway.auditRecords().map(\.event).filter { $0.detail?.contains("locked") == true }
            #expect(events.count == 2)
        }
    }

    @Test("a wrong or replayed TOTP code is refused; the seed is stored sealed under a 0600 key file")
    func secondFactor() async throws {
        try await OAuthFlow.withGateway { gateway in
            let authenticator = Authenticator()
            try await Browser.using(gateway) { browser in
                _ = try await OAuthFlow.loginToConsent(browser, authenticator: authenticator)
            }
            let secret = try #require(try await gateway.database.pool.read { db in
                try Data.fetchOne(db, sql: "SELECT totp_sealed FROM login_account WHERE account_id = 'citizen:p1'")
            })
            #expect(secret.count > 20 + 12)
            let keyFile = (gateway.dataDirectory.path as NSString).appendingPathComponent("login-secrets.key")
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int)
            #expect(mode == 0o600)

            try await Browser.using(gateway) { browser in
                _ = try await browser.get(OAuthFlow.authorizePath())
                let login = try await browser.get("/login")
                _ = try await browser.post("/login/digid-standin", [("choice", "pzc-p1")], csrf: login.csrf)
                let factor = try await browser.get("/login/second-factor")
                #expect(factor.totpSecret == nil, "enrolled: no QR code the second time")
                let wrong = try await browser.post("/login/second-factor", [("code", "000000")], csrf: factor.csrf)
                #expect(wrong.status == 400)
                let code = try authenticator.nextCode()
                #expect(try await browser.post("/login/second-factor", [("code", code)], csrf: factor.csrf).status == 303)
            }
            try await Browser.using(gateway) { browser in
                let login = try await browser.get("/login")
                _ = try await browser.post("/login/digid-standin", [("choice", "pzc-p1")], csrf: login.csrf)
                let factor = try await browser.get("/login/second-factor")
                // The same step again: a replay.
                let totp = try TOTP(secret: try #require(try? authenticatorSecret(gateway, sealed: secret)))
                let replayed = try await browser.post("/login/second-factor", [("code", totp.code(at: Date()))], csrf: factor.csrf)
                #expect(replayed.status == 400)
            }
        }
    }

    /// The seed, unsealed with the data directory's key (as the gateway does).
    private func authenticatorSecret(_ gateway: RunningGateway, sealed: Data) throws -> [UInt8] {
        let keyFile = (gateway.dataDirectory.path as NSString).appendingPathComponent(SecretSealer.defaultKeyFileName)
        return try SecretSealer.loadOrCreate(keyFile: keyFile).open([UInt8](sealed), context: "citizen:p1")
    }

    @Test("the enrolment page shows the QR code inline and the key as text")
    func enrolmentPage() async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let login = try await browser.get("/login")
                _ = try await browser.post("/login/digid-standin", [("bsn", TestData.bsnOfP1)], csrf: login.csrf)
                let page = try await browser.get("/login/second-factor")
                #expect(page.body.contains("<svg"))
                #expect(page.body.contains("role=\"img\""))
                let secret = try #require(page.totpSecret)
                #expect(try Base32.decode(secret).count == 20)
                #expect(page.body.contains("<label for=\"code\">"))
            }
        }
    }

    @Test("the UZI stand-in logs a registered professional in, who cannot consent for a patient")
    func professionalLogin() async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                _ = try await browser.get(OAuthFlow.authorizePath())
                let login = try await browser.get("/login")
                #expect(login.body.contains("value=\"123456789\""))
                let done = try await browser.post("/login/uzi-standin", [("choice", "123456789")], csrf: login.csrf)
                #expect(done.status == 303)
                let consent = try await browser.get("/oauth/consent")
                #expect(consent.status == 403)
                #expect(consent.body.contains("Huisarts"))
            }
        }
    }

    @Test(
        "a session ends after 15 idle minutes or at its absolute end: the pending request is gone",
        arguments: [
            "UPDATE front_session SET last_seen_at_ms = last_seen_at_ms - 16 * 60 * 1000",
            "UPDATE front_session SET expires_at_ms = last_seen_at_ms - 1",
        ])
    func sessionEnds(_ ageing: String) async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                _ = try await OAuthFlow.loginToConsent(browser, authenticator: Authenticator())
                try await gateway.database.pool.write { db in try db.execute(sql: ageing) }
                let page = try await browser.get("/oauth/consent")
                #expect(page.status == 400)
                #expect(try await gateway.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM front_session") } == 0)
            }
        }
    }

    @Test("logout ends the session and clears the cookie")
    func logout() async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let consent = try await OAuthFlow.loginToConsent(browser, authenticator: Authenticator())
                #expect(consent.body.contains("Test Jansen"))
                let out = try await browser.post("/logout", [], csrf: consent.csrf)
                #expect(out.status == 200)
                #expect(out.setCookies.contains { $0.hasPrefix("__Host-zorgnet-session=;") && $0.contains("Max-Age=0") })
                #expect(browser.sessionCookie == nil)
                #expect(try await gateway.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM front_session") } == 0)
            }
        }
    }
}
