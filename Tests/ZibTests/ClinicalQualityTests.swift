import FHIR
import Testing

@testable import Zib

@Suite("Qualification asserts over every administrative and clinical resource")
struct ClinicalQualityTests {
    @Test("the fixture renders every expected resource type")
    func resourceTypes() throws {
        let fixture = try ZibFixture.rendered()
        let counts = Dictionary(fixture.ownResources.map { ($0.resourceType, 1) }, uniquingKeysWith: +)
        #expect(counts == [
            "Patient": 1, "Practitioner": 2, "PractitionerRole": 2, "Organization": 2, "RelatedPerson": 2, "Coverage": 1,
            "Condition": 3, "AllergyIntolerance": 1, "MedicationStatement": 2, "Medication": 2, "Immunization": 1,
            "Flag": 1, "Consent": 2,
        ])
    }

    @Test("every resource passes the BgZ asserts: profile, codings, concepts, references, identifiers, STU3 structure")
    func qualityAsserts() throws {
        let fixture = try ZibFixture.rendered()
        for resource in fixture.ownResources {
            #expect(qualityProblems(in: resource) == [], "\(resource.resourceType)/\(resource.id ?? "")")
        }
    }

    @Test("every resource survives FHIR JSON → XML → parse unchanged")
    func xmlRoundTrip() throws {
        let fixture = try ZibFixture.rendered()
        for resource in fixture.ownResources {
            let back = try roundTripThroughXML(resource).get()
            #expect(canonicalOrder(.object(back.content)) == canonicalOrder(.object(resource.content)), "\(resource.resourceType)/\(resource.id ?? "")")
        }
    }

    @Test("the checker finds what the asserts forbid")
    func checkerCatchesProblems() throws {
        let bad = try FHIRResource([
            "resourceType": "Condition", "id": "x",
            "code": ["coding": [["system": "urn:oid:2.16.840.1.113883.2.4.3.11.60.40.2.5.1.3", "code": "1"]]],
            "subject": ["reference": "Patient/p"],
            "identifier": [["value": "1"]],
            "onsetDate": "2020",
        ])
        let problems = qualityProblems(in: bad)
        #expect(problems == [
            "Condition: no meta.profile",
            "Condition.code: CodeableConcept without coding.display or text",
            "Condition.code.coding: Coding without display",
            "Condition.code.coding: zib value-set OID used as Coding.system",
            "Condition.subject: Reference without display",
            "Condition.identifier: Identifier without system or type",
            "Condition.onsetDate: unknown element of Condition",
        ])
    }
}
