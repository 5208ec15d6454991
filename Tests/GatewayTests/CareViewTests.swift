import Audit
import Consent
import Foundation
import Store
import Testing

@testable import Gateway

/// A PZC member's view of a patient's record (`/care`): only what the patient's member consents permit.
@Suite("What a PZC member sees of a patient's record")
struct CareViewTests {
    static let gpUZI = "999911001"

    static func withGateway(_ body: @Sendable (RunningGateway) async throws -> Void) async throws {
        try await GatewayHarness.withGateway(configure: { $0.loginStandIns = true }, seed: BgZQueryTests.seedDemo, body)
    }

    /// The Parkinson patient's GP: their Practitioner id is the member id consents name.
    static func gp(_ gateway: RunningGateway) async throws -> String {
        try #require(try await ProfessionalDirectory(database: gateway.database).professional(uzi: gpUZI)).practitionerID
    }

    static func loginAsGP(_ browser: Browser) async throws -> Browser.Page {
        let login = try await browser.get("/login")
        return try await browser.post("/login/uzi-standin", [("choice", gpUZI)], csrf: login.csrf)
    }

    static func memberConsent(_ gateway: RunningGateway, member: String, categories: [DataCategory]) async throws -> ConsentRecord {
        let consent = ConsentRecord(
            id: "member-\(UUID().uuidString.lowercased())", patientID: "pzc-park-patient", recordedAt: Date(),
            validity: ConsentPeriod(start: Date(timeIntervalSinceNow: -60)),
            root: Provision(.permit, actors: [.member(member)], actions: [.read], categories: categories))
        try await ConsentRepository(database: gateway.database).record(consent)
        return consent
    }

    @Test("a professional lands on their patients after login and sees the PZCs they are a member of")
    func patientList() async throws {
        try await Self.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let done = try await Self.loginAsGP(browser)
                #expect(done.status == 303)
                #expect(done.location == "/care")
                let list = try await browser.get("/care")
                #expect(list.status == 200)
                #expect(list.body.contains("href=\"/care/patients/pzc-park-patient\""))
                #expect(!list.body.contains("pzc-diab-patient"))
                #expect(!list.body.contains("<script"))
            }
        }
    }

    @Test("without a member consent the member sees none of the record, only that data is withheld")
    func denyByDefault() async throws {
        try await Self.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                _ = try await Self.loginAsGP(browser)
                let record = try await browser.get("/care/patients/pzc-park-patient")
                #expect(record.status == 200)
                #expect(record.body.contains("deelt (nog) geen gegevens met u"))
                #expect(!record.body.contains("Ziekte van Parkinson"))
                #expect(!record.body.contains("Levodopa"))
            }
        }
    }

    @Test("a medication-only consent shows the medication and nothing else; its revocation counts on the next request")
    func medicationOnly() async throws {
        try await Self.withGateway { gateway in
            let consent = try await Self.memberConsent(gateway, member: try await Self.gp(gateway), categories: [.medication])
            try await Browser.using(gateway) { browser in
                _ = try await Self.loginAsGP(browser)
                let record = try await browser.get("/care/patients/pzc-park-patient")
                #expect(record.status == 200)
                #expect(record.body.contains("Levodopa"))
                #expect(record.body.contains("Medicatiegebruik"))
                #expect(!record.body.contains("Ziekte van Parkinson"), "problems are not shared")
                #expect(!record.body.contains("Problemen"))
                #expect(!record.body.contains("access-consent"))

                try await ConsentRepository(database: gateway.database).record(consent.revoked(at: Date()))
                let after = try await browser.get("/care/patients/pzc-park-patient")
                #expect(!after.body.contains("Levodopa"))
            }
        }
    }

    @Test("the decision, with the consent that permitted, is in the audit event of the page")
    func decisionAudited() async throws {
        try await Self.withGateway { gateway in
            let consent = try await Self.memberConsent(gateway, member: try await Self.gp(gateway), categories: [.medication, .problems])
            try await Browser.using(gateway) { browser in
                _ = try await Self.loginAsGP(browser)
                _ = try await browser.get("/care/patients/pzc-park-patient")
            }
            let event = try #require(try await gateway.auditRecords().map(\.event).last { $0.path.hasPrefix("/care/patients/") })
            #expect(event.patientID == "pzc-park-patient")
            #expect(event.partyKind == CareRoutes.memberPartyKind)
            #expect(event.partyID == (try await Self.gp(gateway)))
            let decision = try #require(event.decision)
            #expect(decision.consents.map(\.id).contains(consent.id))
            #expect(decision.permitted > 0)
            #expect(decision.denied > 0)
        }
    }

    @Test("the patient's access log says which member viewed the record, and on which consent")
    func accessLogNamesTheMember() async throws {
        try await Self.withGateway { gateway in
            _ = try await Self.memberConsent(gateway, member: try await Self.gp(gateway), categories: [.medication])
            try await Browser.using(gateway) { browser in
                _ = try await Self.loginAsGP(browser)
                _ = try await browser.get("/care/patients/pzc-park-patient")
            }
            let gp = try await Self.gp(gateway)
            let gpName = try #require(
                try await PZCRecords(database: gateway.database).members(patientResourceID: "pzc-park-patient").first { $0.memberID == gp }?.displayName)
            try await Browser.using(gateway) { browser in
                let bsn = try #require(try await PZCRecords(database: gateway.database).all().first { $0.patientResourceID == "pzc-park-patient" }?.bsn)
                try await PortalFlow.login(browser, bsn: bsn)
                let log = try await browser.get("/portal/access-log")
                #expect(log.body.contains("\(HTML.escape(gpName)) heeft op"), "\(log.body)")
                #expect(log.body.contains("een deel van uw dossier bekeken, met uw toestemming van"))
            }
        }
    }

    @Test("a member asking for a patient whose PZC they are not in gets 404; no login goes to the login page; a patient's login gets 403")
    func outsiders() async throws {
        try await Self.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                _ = try await Self.loginAsGP(browser)
                let other = try await browser.get("/care/patients/pzc-diab-patient")
                #expect(other.status == 404)
                #expect(!other.body.contains("Diabetes"))
            }
            try await Browser.using(gateway) { browser in
                let anonymous = try await browser.get("/care")
                #expect(anonymous.status == 303)
                #expect(anonymous.location == "/login")
                let bsn = try #require(try await PZCRecords(database: gateway.database).all().first { $0.patientResourceID == "pzc-park-patient" }?.bsn)
                try await PortalFlow.login(browser, bsn: bsn)
                let patient = try await browser.get("/care/patients/pzc-park-patient")
                #expect(patient.status == 403)
            }
        }
    }
}
