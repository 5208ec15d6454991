import FHIR
import Foundation
import Testing

@testable import Consent

@Suite("Consent decision point")
struct DecisionPointTests {
    let pdp = ConsentDecisionPoint()

    func decide(_ request: AccessRequest, _ records: [ConsentRecord], at date: Date = Fixture.now) -> Decision {
        pdp.decide(request, consents: records, at: date)
    }

    @Test("denies by default when there are no consents or none apply", arguments: [DataCategory.medication, .problems, .supporting])
    func denyByDefault(category: DataCategory) {
        let decision = decide(Fixture.request([category]), [])
        #expect(!decision.permit)
        #expect(decision.consentIDs.isEmpty)
        let other = Fixture.record("c1", Provision(.permit, actors: [.pgoApp("other-app")]))
        #expect(!decide(Fixture.request([category]), [other]).permit)
    }

    @Test(
        "a PGO app permitted medication only gets medication",
        arguments: [(DataCategory.medication, true), (.problems, false), (.labResults, false)])
    func medicationOnly(category: DataCategory, permitted: Bool) {
        let record = Fixture.record("c1", Provision(.permit, actors: [Fixture.app], actions: [.collect], categories: [.medication]))
        #expect(decide(Fixture.request([category]), [record]).permit == permitted)
        #expect(!decide(Fixture.request([.medication], action: .push), [record]).permit)
    }

    @Test(
        "a nested deny is an exception to the permit around it",
        arguments: [(DataCategory.labResults, false), (.medication, true), (.vitalSigns, true)])
    func nestedException(category: DataCategory, permitted: Bool) {
        let record = Fixture.record(
            "c1", Provision(.permit, actors: [Fixture.app], categories: [.everything], provisions: [Provision(.deny, categories: [.labResults])]))
        let decision = decide(Fixture.request([category]), [record])
        #expect(decision.permit == permitted)
        #expect(decision.consentIDs == ["c1"])
    }

    @Test("at equal specificity deny beats permit, and names the deny")
    func equalSpecificityDenyWins() {
        let permit = Fixture.record("permit", Provision(.permit, actors: [Fixture.app], categories: [.problems]))
        let deny = Fixture.record("deny", Provision(.deny, actors: [Fixture.app], categories: [.problems]))
        for order in [[permit, deny], [deny, permit]] {
            let decision = decide(Fixture.request([.problems]), order)
            #expect(!decision.permit)
            #expect(decision.consentIDs == ["deny"])
        }
    }

    @Test(
        "a more specific permit beats a more general deny",
        arguments: [
            // (general deny, specific permit)
            (Provision(.deny, actors: [.anyPGOApp]), Provision(.permit, actors: [Fixture.app], categories: [.medication])),
            (Provision(.deny, actors: [Fixture.app]), Provision(.permit, actors: [Fixture.app], categories: [.medication])),
            (Provision(.deny, categories: [.medication]), Provision(.permit, actors: [.anyPGOApp], categories: [.medication])),
            (Provision(.deny, actors: [Fixture.app], categories: [.medication]),
             Provision(.permit, actors: [Fixture.app], actions: [.collect], categories: [.medication])),
        ])
    func specificPermitWins(general: Provision, specific: Provision) {
        let records = [Fixture.record("general", general), Fixture.record("specific", specific)]
        let decision = decide(Fixture.request([.medication]), records)
        #expect(decision.permit)
        #expect(decision.consentIDs == ["specific"])
    }

    @Test("an individual provider deny beats a permit for any provider")
    func individualProviderDeny() {
        let records = [
            Fixture.record("all", Provision(.permit, actors: [.anyProvider], actions: [.share], categories: [.problems])),
            Fixture.record("not-this-one", Provision(.deny, actors: [.provider(ura: "12345678")])),
        ]
        #expect(!decide(Fixture.request([.problems], actor: .provider(ura: "12345678"), action: .share), records).permit)
        #expect(decide(Fixture.request([.problems], actor: .provider(ura: "87654321"), action: .share), records).permit)
    }

    @Test("expired, not yet valid, inactive and superseded versions do not count")
    func validityAndVersions() {
        let rule = Provision(.permit, actors: [Fixture.app], categories: [.medication])
        let request = Fixture.request([.medication])
        let expired = Fixture.record("c1", validity: ConsentPeriod(start: Fixture.date("2025-01-01"), end: Fixture.date("2026-01-01")), rule)
        let future = Fixture.record("c1", validity: ConsentPeriod(start: Fixture.date("2027-01-01")), rule)
        let inactive = Fixture.record("c1", status: .inactive, rule)
        let draft = Fixture.record("c1", status: .draft, rule)
        for record in [expired, future, inactive, draft] {
            #expect(!decide(request, [record]).permit)
        }
        let active = Fixture.record("c1", rule)
        #expect(decide(request, [active]).permit)
        // The revocation is a new version; passing the old one along must not bring it back.
        let revoked = active.revoked(at: Fixture.date("2026-05-01"))
        #expect(!decide(request, [active, revoked]).permit)
        #expect(!decide(request, [revoked, active]).permit)
        // A provision-level validity period limits only that provision.
        let limited = Fixture.record(
            "c2", Provision(.permit, actors: [Fixture.app], categories: [.medication], validityPeriod: ConsentPeriod(end: Fixture.date("2026-03-01"))))
        #expect(!decide(request, [limited]).permit)
        #expect(decide(request, [limited], at: Fixture.date("2026-02-01")).permit)
    }

    @Test("revoking makes a new version and leaves the old one untouched")
    func revocationIsANewVersion() {
        let original = Fixture.record("c1", Provision(.permit))
        let revoked = original.revoked(at: Fixture.now)
        #expect(original.status == .active && original.version == 1)
        #expect(revoked.status == .inactive && revoked.version == 2 && revoked.id == "c1")
        #expect(revoked.recordedAt == Fixture.now && revoked.root == original.root)
    }

    @Test(
        "the data period limits which data a provision covers, failing closed",
        arguments: [
            ("2020-06-01", true), ("2019-12-31T23:00:00Z", false), ("2020", true), ("2020-12-31T23:30:00-01:00", false),
        ])
    func dataPeriodPermit(date: String, permitted: Bool) {
        let record = Fixture.record(
            "c1", Provision(.permit, actors: [Fixture.app], categories: [.labResults],
                            dataPeriod: ConsentPeriod(start: Fixture.date("2020-01-01"), end: Fixture.date("2021-01-01"))))
        #expect(decide(Fixture.request([.labResults], dataDate: date), [record]).permit == permitted)
    }

    @Test("undated data is outside a permit's data period but inside a deny's")
    func undatedData() {
        let period = ConsentPeriod(start: Fixture.date("2020-01-01"))
        let permit = Fixture.record("c1", Provision(.permit, actors: [Fixture.app], categories: [.labResults], dataPeriod: period))
        #expect(!decide(Fixture.request([.labResults]), [permit]).permit)
        let denyRecent = Fixture.record(
            "c2", Provision(.permit, actors: [Fixture.app], provisions: [Provision(.deny, categories: [.labResults], dataPeriod: period)]))
        #expect(!decide(Fixture.request([.labResults]), [denyRecent]).permit)
        #expect(!decide(Fixture.request([.labResults], dataDate: "2021-05-05"), [denyRecent]).permit)
        #expect(decide(Fixture.request([.labResults], dataDate: "2019-05-05"), [denyRecent]).permit)
    }

    @Test(
        "a care-circle member sees only the categories consented to",
        arguments: [
            (ConsentActor.member("m1"), DataCategory.medication, true), (.member("m1"), .allergies, true),
            (.member("m1"), .problems, false), (.member("m2"), .medication, false), (.pgoApp("app-1"), .medication, false),
        ])
    func memberCategories(actor: ConsentActor, category: DataCategory, permitted: Bool) {
        let record = Fixture.record(
            "c1", Provision(.permit, actors: [.member("m1")], actions: [.read], categories: [.medication, .allergies]))
        #expect(decide(Fixture.request([category], actor: actor, action: .read), [record]).permit == permitted)
    }

    @Test("the decision names the consents used and why")
    func namesConsents() {
        let records = [
            Fixture.record("broad", Provision(.permit, actors: [.anyPGOApp])),
            Fixture.record("meds-a", version: 3, Provision(.permit, actors: [Fixture.app], categories: [.medication])),
            Fixture.record("meds-b", Provision(.permit, actors: [Fixture.app], categories: [.medication])),
            Fixture.record("other-patient", patient: "p2", Provision(.deny)),
        ]
        let decision = decide(Fixture.request([.medication]), records)
        #expect(decision.permit)
        #expect(decision.consentIDs == ["meds-a", "meds-b"])
        #expect(decision.consents.first == ConsentReference(id: "meds-a", version: 3))
        #expect(decision.reason.contains("meds-a/_history/3"))
        #expect(decide(Fixture.request([.problems]), records).consentIDs == ["broad"])
    }

    @Test("supporting resources follow a permitted referrer and nothing else")
    func supporting() {
        let record = Fixture.record("c1", Provision(.permit, actors: [Fixture.app], categories: [.medication]))
        let medication = decide(Fixture.request([.medication]), [record])
        let problem = decide(Fixture.request([.problems]), [record])
        let viaPermit = decide(Fixture.request([.supporting], referencedBy: medication), [record])
        #expect(viaPermit.permit && viaPermit.consentIDs == ["c1"])
        #expect(!decide(Fixture.request([.supporting], referencedBy: problem), [record]).permit)
        #expect(!decide(Fixture.request([.supporting]), [record]).permit)
    }

    @Test("a whole resource is decided by its own categories and date")
    func resourceRequest() {
        let record = Fixture.record(
            "c1", Provision(.permit, actors: [Fixture.app], categories: [.vitalSigns],
                            dataPeriod: ConsentPeriod(start: Fixture.date("2019-01-01"))))
        let bloodPressure = Fixture.observation(profile: "zib-BloodPressure", loinc: "85354-9")
        let request = AccessRequest(patientID: "p1", actor: Fixture.app, action: .collect, resource: bloodPressure)
        #expect(request.dataDate == DateRange(fhirDate: "2019-03-01T10:00:00+01:00"))
        #expect(decide(request, [record]).permit)
        let lab = Fixture.observation(profile: "zib-LaboratoryTestResult-Observation")
        #expect(!decide(AccessRequest(patientID: "p1", actor: Fixture.app, action: .collect, resource: lab), [record]).permit)
    }
}
