import Auth
import Consent
import Foundation
import Store
import Testing

@testable import Gateway

@Suite("Patient portal: my care providers and my members")
struct PortalProvidersMembersTests {
    @Test("a patient gives a registered provider permission to push summaries, sees it listed, and revokes it")
    func grantAndRevokeProvider() async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                try await PortalFlow.login(browser)
                let page = try await browser.get("/portal/providers")
                #expect(page.body.contains("<option value=\"\(DevPKI.hospitalDemoURA)\">Demo Ziekenhuis</option>"))
                #expect(page.body.contains("<label for=\"provider\">"))
                let granted = try await browser.post(
                    "/portal/providers/grant", [("ura", DevPKI.hospitalDemoURA), ("action", "push"), ("period", "until-revoked")],
                    csrf: page.csrf)
                #expect(granted.status == 303)

                let consents = try await ConsentRepository(database: gateway.database).latestVersions(patientID: "p1")
                let consent = try #require(consents.first { $0.root.actors == [.provider(ura: DevPKI.hospitalDemoURA)] })
                #expect(consent.status == .active)
                #expect(consent.root.actions == [.push])
                #expect(consent.validity.end == nil)

                let listed = try await browser.get(try #require(granted.location))
                #expect(listed.body.contains("<th scope=\"row\">Demo Ziekenhuis</th>"))
                #expect(listed.body.contains("mag samenvattingen naar uw dossier sturen"))
                #expect(listed.body.contains("Demo Ziekenhuis heeft nu uw toestemming."))

                let revoked = try await browser.post("/portal/providers/revoke", [("consent_id", consent.id)], csrf: listed.csrf)
                #expect(revoked.status == 303)
                let latest = try #require(try await ConsentRepository(database: gateway.database).latest(id: consent.id))
                #expect(latest.status == .inactive)
                #expect(latest.version == 2)
                #expect(!(try await browser.get("/portal/providers")).body.contains("<th scope=\"row\">Demo Ziekenhuis</th>"))
            }
        }
    }

    @Test("a provider that is not on offer, or a permission the portal does not give, is refused and records nothing")
    func unknownProviderRefused() async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                try await PortalFlow.login(browser)
                let page = try await browser.get("/portal/providers")
                for fields in [
                    [("ura", "12345678"), ("action", "push"), ("period", "1-year")],
                    [("ura", DevPKI.hospitalDemoURA), ("action", "read"), ("period", "1-year")],
                    [("ura", DevPKI.hospitalDemoURA), ("action", "push"), ("period", "once")],
                ] {
                    #expect(try await browser.post("/portal/providers/grant", fields, csrf: page.csrf).status == 400)
                }
            }
            #expect(try await ConsentRepository(database: gateway.database).latestVersions(patientID: "p1").isEmpty)
        }
    }

    @Test("another patient's provider consent is not shown and cannot be revoked")
    func otherPatientsProviderConsent() async throws {
        try await PortalFlow.withGateway { gateway in
            let other = ConsentRecord(
                id: "provider-of-p2", patientID: "p2", recordedAt: Date(), validity: ConsentPeriod(start: Date()),
                root: Provision(.permit, actors: [.provider(ura: DevPKI.hospitalDemoURA)], actions: [.push], categories: [.everything]))
            try await gateway.recordConsent(other)
            try await Browser.using(gateway) { browser in
                try await PortalFlow.login(browser)
                let page = try await browser.get("/portal/providers")
                #expect(!page.body.contains("provider-of-p2"))
                #expect(!page.body.contains("<th scope=\"row\">Demo Ziekenhuis</th>"))
                #expect(try await browser.post("/portal/providers/revoke", [("consent_id", other.id)], csrf: page.csrf).status == 400)
            }
            #expect(try await ConsentRepository(database: gateway.database).latest(id: other.id)?.status == .active)
        }
    }

    @Test("'my members' lists the PZC's members; choosing categories records a read consent per member, choosing none revokes it")
    func members() async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                try await PortalFlow.login(browser)
                let page = try await browser.get("/portal/members")
                #expect(page.status == 200)
                #expect(page.body.contains("Hanna Huisarts"))
                #expect(page.body.contains("Karel Jansen"))
                #expect(page.body.contains("Echtgenoot"))
                #expect(page.body.contains("<legend>Wat mag Karel Jansen zien?</legend>"))

                let saved = try await browser.post(
                    "/portal/members", [("member_id", "rp-p1-partner"), ("category", "medication"), ("category", "allergies")], csrf: page.csrf)
                #expect(saved.status == 303)
                let consents = try await ConsentRepository(database: gateway.database).latestVersions(patientID: "p1")
                let consent = try #require(consents.first { $0.root.actors == [.member("rp-p1-partner")] })
                #expect(consent.root.actions == [.read])
                #expect(Set(consent.root.categories) == [.medication, .allergies])

                let shown = try await browser.get(try #require(saved.location))
                #expect(shown.body.contains("Wat Karel Jansen mag zien is opgeslagen."))
                #expect(shown.body.contains("value=\"medication\" checked"))
                #expect(shown.body.contains("<td>Medicatie, Allergieën</td>") || shown.body.contains("<td>Allergieën, Medicatie</td>"))

                // A change is a new version of the same consent; none chosen revokes it.
                _ = try await browser.post("/portal/members", [("member_id", "rp-p1-partner"), ("category", "vaccinations")], csrf: page.csrf)
                let changed = try #require(try await ConsentRepository(database: gateway.database).latest(id: consent.id))
                #expect(changed.version == 2)
                #expect(changed.root.categories == [.vaccinations])
                _ = try await browser.post("/portal/members", [("member_id", "rp-p1-partner")], csrf: page.csrf)
                let revoked = try #require(try await ConsentRepository(database: gateway.database).latest(id: consent.id))
                #expect(revoked.version == 3)
                #expect(revoked.status == .inactive)
            }
        }
    }

    @Test("a member of another PZC, or an unknown category, is refused and records nothing")
    func memberChoicesChecked() async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                try await PortalFlow.login(browser)
                let page = try await browser.get("/portal/members")
                #expect(try await browser.post("/portal/members", [("member_id", "gp-other"), ("category", "medication")], csrf: page.csrf).status == 400)
                #expect(try await browser.post("/portal/members", [("member_id", "gp1"), ("category", "everything")], csrf: page.csrf).status == 400)
                #expect(try await browser.post("/portal/members", [("member_id", "gp1"), ("category", "spaceships")], csrf: page.csrf).status == 400)
            }
            #expect(try await ConsentRepository(database: gateway.database).latestVersions(patientID: "p1").isEmpty)
        }
    }
}
