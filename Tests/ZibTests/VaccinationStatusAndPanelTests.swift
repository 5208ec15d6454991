import FHIR
import Foundation
import Testing

@testable import Zib

@Suite("Vaccination status and lab panels")
struct VaccinationStatusAndPanelTests {
    static let givenBy = #""dose": "0,5 ml", "administeredBy": "m-gp"}"#

    static func immunization(status: String?) throws -> (RenderOutput, FHIRResource?) {
        let json = ZibFixture.json.replacingOccurrences(
            of: givenBy, with: status.map { #""dose": "0,5 ml", "administeredBy": "m-gp", "status": "\#($0)"}"# } ?? givenBy)
        #expect(ZibFixture.json.contains(givenBy))
        let export = try PZCExport.decode(from: Data(json.utf8))
        let output = STU3Renderer.render(PZCMapper.map(export), context: STU3RenderContext(export: export))
        return (output, output.resources.first { $0.resourceType == "Immunization" })
    }

    @Test("a vaccination without status, or completed, is a completed Immunization that was given", arguments: [nil, "completed"])
    func completed(_ status: String?) throws {
        let (output, immunization) = try Self.immunization(status: status)
        let resource = try #require(immunization)
        #expect(resource["status"] == "completed")
        #expect(resource["notGiven"] == false)
        #expect(!output.unmapped.contains { $0.entryID == "v-griep" })
    }

    @Test("a vaccination entered in error is an entered-in-error Immunization, still notGiven false, and still valid")
    func enteredInError() throws {
        let (output, immunization) = try Self.immunization(status: "entered-in-error")
        let resource = try #require(immunization)
        #expect(resource["status"] == "entered-in-error")
        #expect(resource["notGiven"] == false)
        #expect(!output.unmapped.contains { $0.entryID == "v-griep" })
        let validator = try ProfileValidator.loadProjectProfiles(from: ValidationFixtures.profilesDirectory.path)
        #expect(validator.validate(resource).filter { $0.severity == .error }.isEmpty)
    }

    @Test("an unknown vaccination status is reported and the entry not mapped, so a withdrawn record is never read as given")
    func unknownStatus() throws {
        let (output, immunization) = try Self.immunization(status: "not-given")
        #expect(immunization == nil)
        #expect(output.unmapped.filter { $0.entryID == "v-griep" }.map(\.reason) == [
            "vaccination status 'not-given' is not completed or entered-in-error"
        ])
    }

    @Test("a null vaccination status is refused by the decoder, like every other field")
    func nullStatus() {
        let json = ZibFixture.json.replacingOccurrences(of: Self.givenBy, with: #""dose": "0,5 ml", "administeredBy": "m-gp", "status": null}"#)
        #expect(throws: PZCFormatError.nullValues(["dossier.vaccinations[0].status"])) { try PZCExport.decode(from: Data(json.utf8)) }
    }

    static let lab = #"""
        "dossier": {"labResults": [
          {"id": "lab-k", "author": "m-gp", "createdAt": "2026-02-27T12:00:00+01:00", "effective": "2026-02-27T08:30:00+01:00",
           "test": {"system": "http://loinc.org", "code": "2823-3", "display": "Potassium [Moles/volume] in Serum or Plasma"},
           "resultType": {"system": "http://snomed.info/sct", "code": "275711006", "display": "Klinische chemie"},
           "value": "4.6", "unit": "mmol/L"},
          {"id": "lab-na", "author": "m-gp", "createdAt": "2026-02-27T12:00:00+01:00", "effective": "2026-02-27T08:30:00+01:00",
           "test": {"system": "http://loinc.org", "code": "2951-2", "display": "Sodium [Moles/volume] in Serum or Plasma"},
           "value": "139", "unit": "mmol/L"},
          {"id": "lab-panel", "author": "m-gp", "createdAt": "2026-02-27T12:00:00+01:00", "effective": "2026-02-27T08:30:00+01:00",
           "test": {"system": "http://loinc.org", "code": "24362-6", "display": "Renal function 2000 panel - Serum or Plasma"},
           "resultType": {"system": "http://snomed.info/sct", "code": "275711006", "display": "Klinische chemie"},
           "members": ["lab-k", "lab-na"]},
          {"id": "lab-leeg", "author": "m-gp", "createdAt": "2026-02-27T12:00:00+01:00", "effective": "2026-02-27",
           "test": {"system": "http://loinc.org", "code": "2345-7", "display": "Glucose [Moles/volume] in Serum or Plasma"}},
          {"id": "lab-wees", "author": "m-gp", "createdAt": "2026-02-27T12:00:00+01:00", "effective": "2026-02-27",
           "test": {"system": "http://loinc.org", "code": "24362-6", "display": "Renal function 2000 panel - Serum or Plasma"},
           "members": ["lab-k", "lab-404"]}
        ]}
        """#

    @Test("a panel has no value and names its members in related (has-member) with displays; it validates")
    func panel() throws {
        let (_, output) = ObservationFixture.render(try ObservationFixture.export(Self.lab))
        let panel = try #require(ObservationFixture.resource(output, id: "pzc-obs-lab-panel"))
        #expect(panel["valueQuantity"] == nil && panel["valueString"] == nil)
        #expect(panel["related"] == [
            ["type": "has-member", "target": ["reference": "Observation/pzc-obs-lab-k", "display": "Potassium [Moles/volume] in Serum or Plasma"]],
            ["type": "has-member", "target": ["reference": "Observation/pzc-obs-lab-na", "display": "Sodium [Moles/volume] in Serum or Plasma"]],
        ])
        #expect(ObservationFixture.resource(output, id: "pzc-obs-lab-k")?["related"] == nil)
        #expect(QualificationLint.problems(in: panel) == [])
        let validator = try ProfileValidator.loadProjectProfiles(from: ValidationFixtures.profilesDirectory.path)
        #expect(validator.validate(panel).filter { $0.severity == .error }.isEmpty)
    }

    @Test("a result with neither value nor members, and a panel naming an unknown result, are reported, not mapped")
    func refusedPanels() throws {
        let (_, output) = ObservationFixture.render(try ObservationFixture.export(Self.lab))
        #expect(output.unmapped == [
            UnmappedEntry(entryID: "lab-leeg", section: "dossier.labResults", reason: "value is missing"),
            UnmappedEntry(entryID: "lab-wees", section: "dossier.labResults", reason: "members 'lab-404' refers to nothing in dossier.labResults"),
        ])
        #expect(ObservationFixture.resource(output, id: "pzc-obs-lab-leeg") == nil)
        #expect(ObservationFixture.resource(output, id: "pzc-obs-lab-wees") == nil)
    }
}
