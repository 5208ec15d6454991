import FHIR
import Foundation
import Testing

@testable import Consent

@Suite("Data categories of zib2017 resources")
struct DataCategoryTests {
    static let observationCategory = "http://hl7.org/fhir/observation-category"

    static let cases: [(String, FHIRResource, Set<DataCategory>)] = [
        ("Patient", Fixture.resource(["resourceType": "Patient", "id": "p1"]), [.patientAndContacts]),
        ("RelatedPerson", Fixture.resource(["resourceType": "RelatedPerson", "id": "r1"]), [.patientAndContacts]),
        ("Coverage", Fixture.resource(["resourceType": "Coverage", "id": "c1"]), [.payer]),
        ("Condition", Fixture.resource(["resourceType": "Condition", "id": "c1"]), [.problems]),
        ("Flag", Fixture.resource(["resourceType": "Flag", "id": "f1"]), [.alerts]),
        ("AllergyIntolerance", Fixture.resource(["resourceType": "AllergyIntolerance", "id": "a1"]), [.allergies]),
        ("MedicationStatement", Fixture.resource(["resourceType": "MedicationStatement", "id": "m1"]), [.medication]),
        ("Medication", Fixture.resource(["resourceType": "Medication", "id": "m1"]), [.medication]),
        ("MedicationDispense", Fixture.resource(["resourceType": "MedicationDispense", "id": "m1"]), [.medication]),
        ("DeviceUseStatement", Fixture.resource(["resourceType": "DeviceUseStatement", "id": "d1"]), [.medicalDevices]),
        ("Immunization", Fixture.resource(["resourceType": "Immunization", "id": "i1"]), [.vaccinations]),
        ("Procedure", Fixture.resource(["resourceType": "Procedure", "id": "p1"]), [.procedures]),
        ("Encounter", Fixture.resource(["resourceType": "Encounter", "id": "e1"]), [.encounters]),
        ("ProcedureRequest", Fixture.resource(["resourceType": "ProcedureRequest", "id": "p1"]), [.plannedCare]),
        ("NutritionOrder", Fixture.resource(["resourceType": "NutritionOrder", "id": "n1"]), [.nutrition]),
        ("DocumentReference", Fixture.resource(["resourceType": "DocumentReference", "id": "d1"]), [.documents]),
        ("Practitioner", Fixture.resource(["resourceType": "Practitioner", "id": "pr1"]), [.supporting]),
        ("PractitionerRole", Fixture.resource(["resourceType": "PractitionerRole", "id": "pr1"]), [.supporting]),
        ("Organization", Fixture.resource(["resourceType": "Organization", "id": "o1"]), [.supporting]),
        ("blood pressure by profile", Fixture.observation(profile: "zib-BloodPressure", loinc: "85354-9"), [.vitalSigns]),
        ("body weight by LOINC only", Fixture.observation(loinc: "29463-7"), [.vitalSigns]),
        ("body height by category", Fixture.observation(category: Fixture.coding(observationCategory, "vital-signs")), [.vitalSigns]),
        ("lab by profile", Fixture.observation(profile: "zib-LaboratoryTestResult-Observation"), [.labResults]),
        ("lab by zib category", Fixture.observation(category: Fixture.coding("http://snomed.info/sct", "49581000146104")), [.labResults]),
        ("lab by FHIR category", Fixture.observation(category: Fixture.coding(observationCategory, "laboratory")), [.labResults]),
        ("tobacco use", Fixture.observation(profile: "zib-TobaccoUse"), [.socialHistory]),
        ("functional status", Fixture.observation(profile: "zib-FunctionalOrMentalStatus"), [.functionalStatus]),
        ("home blood pressure", Fixture.observation(profile: "zib-BloodPressure", performer: "Patient/p1"), [.vitalSigns, .selfMeasurements]),
        ("clinic blood pressure", Fixture.observation(profile: "zib-BloodPressure", performer: "Practitioner/x"), [.vitalSigns]),
        ("unknown observation", Fixture.observation(loinc: "1234-5"), []),
        (
            "advance directive",
            Fixture.resource([
                "resourceType": "Consent", "id": "w1",
                "meta": ["profile": ["http://nictiz.nl/fhir/StructureDefinition/zib-AdvanceDirective"]],
            ]), [.directives]
        ),
        (
            "treatment directive by category",
            Fixture.resource(["resourceType": "Consent", "id": "t1", "category": [Fixture.coding("http://snomed.info/sct", "11291000146105")]]),
            [.directives]
        ),
        ("unknown resource type", Fixture.resource(["resourceType": "Basic", "id": "b1"]), []),
    ]

    @Test("maps typical resources to their BgZ section", arguments: cases)
    func mapping(name: String, resource: FHIRResource, expected: Set<DataCategory>) {
        #expect(DataCategory.of(resource: resource) == expected, "\(name)")
    }

    @Test("an access consent is no clinical data and only everything reaches an uncategorised resource")
    func accessConsentAndEverything() throws {
        let record = Fixture.record("c1", Provision(.permit))
        #expect(DataCategory.of(resource: try record.fhirConsent()).isEmpty)
        let unknown = Fixture.observation(loinc: "1234-5")
        let request = AccessRequest(patientID: "p1", actor: Fixture.app, action: .collect, resource: unknown)
        let meds = Fixture.record("m", Provision(.permit, actors: [Fixture.app], categories: [.medication]))
        let everything = Fixture.record("e", Provision(.permit, actors: [Fixture.app], categories: [.everything]))
        #expect(!ConsentDecisionPoint().decide(request, consents: [meds], at: Fixture.now).permit)
        #expect(ConsentDecisionPoint().decide(request, consents: [everything], at: Fixture.now).permit)
    }
}

@Suite("Consent as a STU3 resource")
struct ConsentRenderingTests {
    static let record = Fixture.record(
        "c1", version: 2, validity: ConsentPeriod(start: Fixture.date("2026-01-01"), end: Fixture.date("2027-01-01")),
        Provision(
            .permit, actors: [Fixture.app, .provider(ura: "12345678")], actions: [.collect, .read], categories: [.everything],
            provisions: [
                Provision(
                    .deny, categories: [.labResults], dataPeriod: ConsentPeriod(end: Fixture.date("2020-01-01")),
                    provisions: [Provision(.permit, actors: [.anyMember], validityPeriod: ConsentPeriod(start: Fixture.date("2026-02-01")))]),
                Provision(.deny, categories: [.problems]),
            ]))

    @Test("uses only STU3 Consent element names")
    func elementNames() throws {
        let consent = try Self.record.fhirConsent()
        let schema = FHIRSchema.stu3
        for key in consent.content.keys where key != "resourceType" {
            #expect(schema.element(key, of: "Consent") != nil, "Consent.\(key)")
        }
        for except in consent["except"]?.elements ?? [] {
            for key in except.objectValue?.keys ?? [] {
                #expect(schema.element(key, of: "ConsentExcept") != nil, "Consent.except.\(key)")
            }
        }
        #expect(consent["policyRule"] == .string(ConsentRecord.policyRule))
        #expect(consent["status"] == "active")
        #expect(consent["patient"]?["reference"] == "Patient/p1")
        #expect(consent.versionId == "2")
        #expect(consent["period"]?["end"] == "2027-01-01T00:00:00Z")
    }

    @Test("writes the provision tree as except entries in pre-order with parent links")
    func exceptTree() throws {
        let excepts = try Self.record.fhirConsent()["except"]?.elements ?? []
        #expect(excepts.map { $0["id"]?.stringValue ?? "" } == ["p", "p.1", "p.1.1", "p.2"])
        #expect(excepts.map { $0["type"]?.stringValue ?? "" } == ["permit", "deny", "permit", "deny"])
        let parents = excepts.map { $0["extension"]?.elements.first?["valueString"]?.stringValue }
        #expect(parents == [nil, "p", "p.1", "p"])
        #expect(excepts[1]["code"]?.elements.first?["code"] == "lab-results")
        #expect(excepts[1]["dataPeriod"]?["end"] == "2020-01-01T00:00:00Z")
        #expect(excepts[0]["actor"]?.elements[1]["reference"]?["identifier"]?["system"] == "http://fhir.nl/fhir/NamingSystem/ura")
    }

    @Test("is distinguishable from zib directive Consents by its category")
    func distinguishable() throws {
        let category = try Self.record.fhirConsent()["category"]?.elements.first?["coding"]?.elements.first
        #expect(category?["system"] == .string(ConsentRecord.categorySystem))
        #expect(category?["code"] == "access-consent")
        #expect(category?["display"] == "Toestemming voor gegevensuitwisseling")
    }

    @Test("round-trips through STU3 XML and JSON unchanged", arguments: [ConsentStatus.active, .inactive])
    func roundTrip(status: ConsentStatus) throws {
        let record = status == .active ? Self.record : Self.record.revoked(at: Fixture.now)
        let consent = try record.fhirConsent()
        let parsed = try FHIRXML.parseResource(FHIRXML.serialize(consent))
        #expect(parsed == consent)
        #expect(parsed["status"] == .string(status.rawValue))
        let json = try FHIRJSON.parseResource(FHIRJSON.serialize(consent))
        #expect(json == consent)
    }
}
