import Foundation
import Testing

@testable import Gateway

/// What every server-rendered page must hold to be usable without JavaScript, with a keyboard and
/// with a screen reader: checked on the HTML the gateway really sends.
enum PageChecks {
    static func matches(_ pattern: String, in html: String) -> [NSTextCheckingResult] {
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return [] }
        return expression.matches(in: html, range: NSRange(html.startIndex..., in: html))
    }

    static func text(_ range: NSRange, in html: String) -> String {
        Range(range, in: html).map { String(html[$0]) } ?? ""
    }

    /// Every way the page falls short, described; empty when it holds.
    static func problems(_ html: String) -> [String] {
        var problems: [String] = []
        if matches("<html lang=\"(nl|en)\">", in: html).isEmpty { problems.append("no lang on <html>") }
        if matches("<h1[ >]", in: html).count != 1 { problems.append("not exactly one <h1>") }
        if html.contains("<script") { problems.append("a <script>") }
        if !matches(#"\son[a-z]+\s*="#, in: html).isEmpty { problems.append("an inline event handler") }
        if !matches(#"tabindex="[1-9]"#, in: html).isEmpty { problems.append("a positive tabindex changes the keyboard order") }
        if !html.contains("href=\"#main\"") || !html.contains("<main id=\"main\">") { problems.append("no skip link to <main>") }

        // Every visible form control has a label: `<label for=id>` or a wrapping `<label>`.
        for match in matches(#"<(input|select|textarea)\b[^>]*>"#, in: html) {
            let tag = text(match.range, in: html)
            if tag.contains("type=\"hidden\"") || tag.contains("type=\"submit\"") { continue }
            let id = matches(#"\bid="([^"]+)""#, in: tag).first.map { text($0.range(at: 1), in: tag) }
            if let id, html.contains("for=\"\(id)\"") { continue }
            let before = html[..<(Range(match.range, in: html)?.lowerBound ?? html.startIndex)]
            let opened = before.range(of: "<label", options: .backwards)
            let closed = before.range(of: "</label>", options: .backwards)
            if let opened, closed.map({ $0.lowerBound < opened.lowerBound }) ?? true { continue }
            problems.append("a control without a label: \(tag)")
        }
        for match in matches(#"<table\b[^>]*>\s*(<caption)?"#, in: html) where match.range(at: 1).location == NSNotFound {
            problems.append("a table without a caption: \(text(match.range, in: html))")
        }
        for match in matches(#"<th\b[^>]*>"#, in: html) where !text(match.range, in: html).contains("scope=") {
            problems.append("a table header without scope")
        }
        for match in matches(#"<button\b[^>]*>\s*</button>"#, in: html) { problems.append("an empty button: \(text(match.range, in: html))") }
        return problems
    }
}

@Suite("Every page is usable without JavaScript, by keyboard and screen reader")
struct PageAccessibilityTests {
    @Test("the checker finds what it must find", arguments: [
        ("<html lang=\"nl\"><a href=\"#main\">x</a><main id=\"main\"><h1>a</h1><input id=\"x\" name=\"x\"></main>", "a control without a label"),
        ("<html lang=\"nl\"><a href=\"#main\">x</a><main id=\"main\"><h1>a</h1><table><tr><td>1</td></tr></table></main>", "a table without a caption"),
        ("<html lang=\"nl\"><a href=\"#main\">x</a><main id=\"main\"><h1>a</h1><h1>b</h1></main>", "not exactly one <h1>"),
        ("<html lang=\"nl\"><main id=\"main\"><h1>a</h1><script>x()</script></main>", "a <script>"),
        ("<html lang=\"nl\"><a href=\"#main\">x</a><main id=\"main\"><h1>a</h1><button onclick=\"x()\">b</button></main>", "an inline event handler"),
    ])
    func checkerCatches(_ html: String, _ expected: String) {
        #expect(PageChecks.problems(html).contains { $0.hasPrefix(expected) }, "\(PageChecks.problems(html))")
    }

    @Test("the pages before login: home, login, the second step's enrolment")
    func publicPages() async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                for path in ["/", "/login"] {
                    let page = try await browser.get(path)
                    #expect(page.status == 200)
                    #expect(PageChecks.problems(page.body).isEmpty, "\(path): \(PageChecks.problems(page.body))")
                }
                let login = try await browser.get("/login")
                _ = try await browser.post("/login/digid-standin", [("bsn", TestData.bsnOfP1)], csrf: login.csrf)
                let enrolment = try await browser.get("/login/second-factor")
                #expect(enrolment.body.contains("<svg"))
                #expect(PageChecks.problems(enrolment.body).isEmpty, "enrolment: \(PageChecks.problems(enrolment.body))")
            }
        }
    }

    @Test("the landing page and the consent screen of an app's authorization")
    func authorizationPages() async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let landing = try await browser.get(OAuthFlow.authorizePath())
                #expect(PageChecks.problems(landing.body).isEmpty, "landing: \(PageChecks.problems(landing.body))")
                let consent = try await OAuthFlow.loginToConsent(browser, authenticator: Authenticator())
                #expect(consent.status == 200)
                #expect(PageChecks.problems(consent.body).isEmpty, "consent: \(PageChecks.problems(consent.body))")
            }
        }
    }

    @Test("every portal page, in both languages", arguments: ["nl", "en"])
    func portalPages(_ language: String) async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway, language: language) { browser in
                _ = try await PortalFlow.connectApp(gateway, browser: browser)
                for path in ["/portal", "/portal/apps", "/portal/providers", "/portal/members", "/portal/access-log", "/portal/exchange"] {
                    let page = try await browser.get(path)
                    #expect(page.status == 200, "\(path)")
                    #expect(page.body.contains("<html lang=\"\(language)\">"), "\(path)")
                    #expect(PageChecks.problems(page.body).isEmpty, "\(path): \(PageChecks.problems(page.body))")
                }
            }
        }
    }

    @Test("the members' view: the patient list and a record")
    func carePages() async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let login = try await browser.get("/login")
                _ = try await browser.post("/login/uzi-standin", [("choice", "123456789")], csrf: login.csrf)
                for path in ["/care", "/care/patients/p1"] {
                    let page = try await browser.get(path)
                    #expect(page.status == 200, "\(path)")
                    #expect(PageChecks.problems(page.body).isEmpty, "\(path): \(PageChecks.problems(page.body))")
                }
            }
        }
    }
}
