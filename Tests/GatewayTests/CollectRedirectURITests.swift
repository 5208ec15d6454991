import Auth
import Foundation
import Store
import Testing

@testable import Gateway

/// The authorization endpoint's redirect-URI rule: MedMij's by default, the operator's exact list
/// when one is registered for the app (what a second gateway on a loopback port needs).
@Suite("Registered redirect URIs")
struct CollectRedirectURITests {
    static let loopbackCallback = "https://localhost:18443/oauth/callback"

    @Test func withoutRegisteredURIsTheMedMijRuleDecides() {
        #expect(RedirectURIRule.accepts("https://pgo.example.nl/cb", clientID: "pgo.example.nl", registered: []))
        #expect(!RedirectURIRule.accepts("https://pgo.example.nl:8443/cb", clientID: "pgo.example.nl", registered: []))
    }

    @Test func registeredURIsAreMatchedExactlyAndReplaceTheMedMijRule() {
        let registered = ["https://localhost:18443/oauth/callback"]
        #expect(RedirectURIRule.accepts("https://localhost:18443/oauth/callback", clientID: "localhost", registered: registered))
        #expect(!RedirectURIRule.accepts("https://localhost:18443/oauth/callback/", clientID: "localhost", registered: registered))
        #expect(!RedirectURIRule.accepts("https://localhost:18444/oauth/callback", clientID: "localhost", registered: registered))
        // With a registration even the MedMij form is no longer accepted for that app: only the list counts.
        #expect(!RedirectURIRule.accepts("https://localhost/oauth/callback", clientID: "localhost", registered: registered))
    }

    @Test func onlyHTTPSURIsWithoutQueryOrFragmentCanBeRegistered() {
        #expect(RedirectURIRule.isRegistrable("https://localhost:18443/oauth/callback"))
        #expect(!RedirectURIRule.isRegistrable("http://localhost:18443/oauth/callback"))
        #expect(!RedirectURIRule.isRegistrable("https://localhost/cb?x=1"))
        #expect(!RedirectURIRule.isRegistrable("https://localhost/cb#x"))
        #expect(!RedirectURIRule.isRegistrable("https://user@localhost/cb"))
    }

    @Test func anAuthorizationRequestWithARegisteredPortURIReachesTheLandingPageAndAnUnregisteredOneGetsTheErrorPage() async throws {
        try await GatewayHarness.withGateway(
            configure: { $0.loginStandIns = true },
            seed: { database in
                try await OAuthFlow.seed(database)
                try await PartyRedirectURIs(database: database).set([Self.loopbackCallback], partyID: "pgo-demo")
            }
        ) { gateway in
            try await Browser.using(gateway) { browser in
                let registered = try await browser.get(OAuthFlow.authorizePath(redirectURI: Self.loopbackCallback))
                #expect(registered.status == 200)
                let other = try await browser.get(OAuthFlow.authorizePath(redirectURI: "https://localhost:18444/oauth/callback"))
                #expect(other.status == 400)
                #expect(other.location == nil, "an unregistered redirect URI must never be redirected to")
                // The MedMij form no longer counts for an app with registered URIs.
                let medmij = try await browser.get(OAuthFlow.authorizePath())
                #expect(medmij.status == 400)
            }
        }
    }

    @Test func anAppWithoutRegisteredURIsKeepsTheMedMijRule() async throws {
        try await OAuthFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let medmij = try await browser.get(OAuthFlow.authorizePath())
                #expect(medmij.status == 200)
                let withPort = try await browser.get(OAuthFlow.authorizePath(redirectURI: Self.loopbackCallback))
                #expect(withPort.status == 400)
            }
        }
    }
}
