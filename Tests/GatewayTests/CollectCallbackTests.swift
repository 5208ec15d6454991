import Auth
import Foundation
import Store
import Testing

@testable import Gateway

/// `GET /oauth/callback`: only the browser that started a collection, once, with the state it was
/// given, gets anything done; everything else is an error page and changes nothing.
@Suite("The collect callback")
struct CollectCallbackTests {
    static let state = "state-of-this-browser"
    static let binding = "binding-of-this-browser"

    /// A pending collection as `POST /portal/collect` leaves it.
    static func seedPending(_ database: GatewayDatabase) async throws {
        try await CollectStore(database: database).addPending(
            PendingCollect(
                patientID: "p1", providerName: "demoziekenhuis@medmij", dataServiceID: "1", correlationID: "corr",
                createdAtMilliseconds: Instant.milliseconds(Date())),
            stateHash: CollectService.hex(state), bindingHash: CollectService.hex(binding))
    }

    @Test func aCallbackWithAnUnknownStateGetsAnErrorPage() async throws {
        try await GatewayHarness.withGateway(seed: Self.seedPending) { gateway in
            try await Browser.using(gateway) { browser in
                browser.setCookie(CollectRoutes.bindingCookie, Self.binding)
                let page = try await browser.get("/oauth/callback?code=c&state=someone-elses-state")
                #expect(page.status == 400)
                #expect(page.body.contains("Er is niets opgehaald"))
            }
            // The real state was not spent by the failed attempt.
            let claim = try await CollectStore(database: gateway.database).claim(
                stateHash: CollectService.hex(Self.state), bindingHash: CollectService.hex(Self.binding),
                now: Instant.milliseconds(Date()), maxAgeMilliseconds: 60_000)
            guard case .claimed = claim else { Issue.record("the pending collection was touched: \(claim)"); return }
        }
    }

    @Test func theRightStateFromAnotherBrowserIsRefused() async throws {
        try await GatewayHarness.withGateway(seed: Self.seedPending) { gateway in
            try await Browser.using(gateway) { browser in
                // No binding cookie: this is not the browser that started the collection.
                let page = try await browser.get("/oauth/callback?code=c&state=\(Self.state)")
                #expect(page.status == 400)
            }
        }
    }

    @Test func aReplayedCallbackIsRefusedEvenFromTheSameBrowser() async throws {
        try await GatewayHarness.withGateway(seed: Self.seedPending) { gateway in
            try await Browser.using(gateway) { browser in
                browser.setCookie(CollectRoutes.bindingCookie, Self.binding)
                // The provider refused: the state is spent, nothing is collected.
                let first = try await browser.get("/oauth/callback?error=access_denied&state=\(Self.state)")
                #expect(first.status == 400)
                #expect(first.body.contains("niet toegestaan"))
                browser.setCookie(CollectRoutes.bindingCookie, Self.binding)
                let replay = try await browser.get("/oauth/callback?code=c&state=\(Self.state)")
                #expect(replay.status == 400)
                #expect(replay.body.contains("al gebruikt"))
            }
            let records = try await gateway.auditRecords().map(\.event).filter { $0.path.hasPrefix("/oauth/callback") }
            #expect(records.count == 2)
            #expect(records.allSatisfy { ($0.detail ?? "").hasPrefix("collect refused") })
            #expect(records.last?.detail?.contains("used already") == true, "the second callback must be recognised as a replay")
            #expect(!records.contains { ($0.detail ?? "").contains(Self.state) }, "the state must not be logged")
        }
    }
}
