import Foundation
import Testing

@testable import Auth

@Suite("OAuth and login rules")
struct OAuthRulesTests {
    @Test(
        "a redirect URI must be https on the client's own host, without port, user info, query or fragment",
        arguments: [
            ("https://pgo.example.nl/callback", true),
            ("https://pgo.example.nl", true),
            ("https://PGO.example.nl/cb/deeper", true),
            ("http://pgo.example.nl/callback", false),
            ("https://pgo.example.nl:443/callback", false),
            ("https://user@pgo.example.nl/callback", false),
            ("https://pgo.example.nl/callback?x=1", false),
            ("https://pgo.example.nl/callback#x", false),
            ("https://pgo.example.nl.evil.example/callback", false),
            ("https://evil.example/pgo.example.nl", false),
            ("https://pgo.example.nl/call back", false),
            ("pgo.example.nl/callback", false),
        ])
    func redirectURIRule(_ uri: String, _ accepted: Bool) {
        #expect(RedirectURIRule.accepts(uri, clientID: "pgo.example.nl") == accepted)
    }

    @Test("the MedMij 2.x collect scope is the provider name alone", arguments: [
        ("zorgnet", true), ("zorgnet~1", false), ("other", false), ("zorgnet zorgnet", false), ("", false),
    ])
    func scope(_ scope: String, _ accepted: Bool) {
        #expect(MedMijScope.accepts(scope, providerName: "zorgnet") == accepted)
    }

    @Test("state is 1 to 1024 printable ASCII characters", arguments: [
        ("abc-123", true), ("", false), ("with space", true), ("tab\there", false), ("é", false), (String(repeating: "a", count: 1025), false),
    ])
    func state(_ state: String, _ valid: Bool) {
        #expect(OAuthState.isValid(state) == valid)
    }

    @Test(
        "a BSN needs nine digits (or eight with an implied zero) passing the eleven-test",
        arguments: [
            ("999911120", "999911120" as String?), ("9999 11 120", "999911120"), ("999.911.120", "999911120"),
            ("123456782", "123456782"), ("12345678", nil), ("123456789", nil), ("000000000", nil), ("99991112", nil),
            ("99991112a", nil), ("9999111200", nil),
        ])
    func bsn(_ text: String, _ expected: String?) {
        #expect((try? BSN(parsing: text))?.digits == expected)
    }

    @Test("a BSN never shows its digits in a description")
    func bsnDescription() throws {
        let bsn = try BSN(parsing: "999911120")
        #expect(!"\(bsn)".contains("999911120"))
    }

    @Test("the consent periods end as chosen; 'this time only' ends with the one access token")
    func consentDurations() throws {
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        let once = try #require(ConsentDuration.once.end(from: start, codeLifetime: .seconds(60), accessTokenLifetime: .seconds(900)))
        #expect(once.timeIntervalSince(start) == 960)
        let months = try #require(ConsentDuration.threeMonths.end(from: start, codeLifetime: .seconds(60), accessTokenLifetime: .seconds(900)))
        #expect((89...93).contains(months.timeIntervalSince(start) / 86_400))
        let year = try #require(ConsentDuration.oneYear.end(from: start, codeLifetime: .seconds(60), accessTokenLifetime: .seconds(900)))
        #expect((365...366).contains(year.timeIntervalSince(start) / 86_400))
        #expect(ConsentDuration.untilRevoked.end(from: start, codeLifetime: .seconds(60), accessTokenLifetime: .seconds(900)) == nil)
        #expect(!ConsentDuration.once.allowsRefresh)
        #expect(ConsentDuration.untilRevoked.allowsRefresh)
    }

    @Test("secret tokens are 256 random bits, base64url, and hashed with SHA-256")
    func secretTokens() {
        let tokens = Set((0..<100).map { _ in SecretToken.generate() })
        #expect(tokens.count == 100)
        #expect(tokens.allSatisfy { $0.count == SecretToken.length && SecretToken.isWellFormed($0) })
        #expect(SecretToken.hash("a").count == 32)
        #expect(!SecretToken.isWellFormed("short"))
        #expect(!SecretToken.isWellFormed(String(repeating: "a", count: 30) + "+/"))
        #expect(SecretToken.derived(from: "s1", purpose: "csrf") != SecretToken.derived(from: "s2", purpose: "csrf"))
        #expect(SecretToken.derived(from: "s1", purpose: "csrf") == SecretToken.derived(from: "s1", purpose: "csrf"))
    }
}
