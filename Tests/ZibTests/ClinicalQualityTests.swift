import FHIR
import Foundation
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
            #expect(QualificationLint.problems(in: resource) == [], "\(resource.resourceType)/\(resource.id ?? "")")
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
        let problems = QualificationLint.problems(in: bad)
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

    @Test("the lint accepts an identifier whose value is masked with data-absent-reason, and only that")
    func maskedIdentifier() throws {
        func patient(_ extras: FHIRValue) throws -> FHIRResource {
            try FHIRResource([
                "resourceType": "Patient", "id": "p", "meta": ["profile": ["http://fhir.nl/fhir/StructureDefinition/nl-core-patient"]],
                "identifier": [["system": "http://fhir.nl/fhir/NamingSystem/bsn", "_value": extras]],
            ])
        }
        let masked: FHIRValue = ["extension": [["url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "masked"]]]
        let unknown: FHIRValue = ["extension": [["url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown"]]]
        #expect(QualificationLint.problems(in: try patient(masked)) == [])
        #expect(QualificationLint.problems(in: try patient(unknown)) == ["Patient.identifier: Identifier without value"])
    }

    @Test("the renderer reports what fails the lint with the entry it came from, and still renders it")
    func rendererReportsLint() throws {
        // An export may write an empty display; the Coding then lacks the display the asserts require.
        let json = ZibFixture.json.replacingOccurrences(
            of: #""code": "195967001", "display": "Astma""#, with: #""code": "195967001", "display": """#)
        #expect(json != ZibFixture.json)
        let export = try PZCExport.decode(from: Data(json.utf8))
        let output = STU3Renderer.render(PZCMapper.map(export), context: STU3RenderContext(export: export))
        let lint = output.unmapped.filter { $0.reason.hasPrefix("fails the MedMij qualification") }
        #expect(lint.map(\.entryID) == ["p-astma", "p-astma"])
        #expect(lint.map(\.reason) == [
            "fails the MedMij qualification: Condition.code: CodeableConcept without coding.display or text",
            "fails the MedMij qualification: Condition.code.coding: Coding without display",
        ])
        #expect(output.resources.contains { $0.id == "pzc-berg-p-astma" })
    }
}
