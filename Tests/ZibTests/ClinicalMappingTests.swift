import FHIR
import Foundation
import Testing

@testable import Zib

@Suite("What the administrative and clinical mapping cannot map")
struct ClinicalMappingTests {
    @Test("entries that cannot be mapped are reported with their reason, not rendered", arguments: [
        ("p-leeg", "Condition", "problem has neither a code nor a text"),
        ("ms-naamloos", "MedicationStatement", "medication use has no product name"),
        ("td-vaag", "Consent", "treatment directive without permitted (yes, no or yes-with-conditions)"),
    ])
    func unmappedEntries(_ entryID: String, _ type: String, _ reason: String) throws {
        let fixture = try ZibFixture.rendered()
        #expect(fixture.reasons(entryID) == [reason])
        #expect(fixture.resource(type, "pzc-berg-\(entryID)") == nil)
    }

    @Test("an entry by a member who is not in the PZC keeps its content and reports the left-out author")
    func unknownAuthor() throws {
        let fixture = try ZibFixture.rendered()
        let condition = try #require(fixture.resource("Condition", "pzc-berg-p-wees"))
        #expect(condition["asserter"] == nil)
        #expect(condition["code"] == ["text": "Hooikoorts"])
        #expect(fixture.reasons("p-wees") == ["author 'm-gone' is not a member of this PZC; left out"])
    }

    @Test("status words outside the zib code lists make the entry unmapped", arguments: [
        (#""status": "active", "verification": "confirmed""#, #""status": "chronic", "verification": "confirmed""#,
         "problem status 'chronic' is not active or inactive"),
        (#""status": "active", "onset": "1984-08""#, #""status": "maybe", "onset": "1984-08""#,
         "allergy status 'maybe' is not active, inactive or resolved"),
    ])
    func unknownStatus(_ original: String, _ replacement: String, _ reason: String) throws {
        let json = ZibFixture.json.replacingOccurrences(of: original, with: replacement)
        let export = try PZCExport.decode(from: Data(json.utf8))
        let result = PZCMapper.map(export)
        #expect(result.unmapped.map(\.reason).contains(reason))
    }

    @Test("an active problem keeps its resolved date as a zib; the STU3 Condition leaves it out (con-4) and reports it for the entry")
    func activeWithResolvedDate() throws {
        let json = ZibFixture.json.replacingOccurrences(of: #""onset": "1989-05-01""#, with: #""onset": "1989-05-01", "resolved": "2020-01-01""#)
        #expect(json != ZibFixture.json)
        let export = try PZCExport.decode(from: Data(json.utf8))
        let mapping = PZCMapper.map(export)
        let problem = try #require(mapping.values.compactMap { $0 as? Probleem }.first { $0.source.entryID == "p-astma" })
        #expect(problem.status == .active)
        #expect(problem.resolved == "2020-01-01")
        #expect(!mapping.unmapped.contains { $0.entryID == "p-astma" }, "the mapping itself has nothing to report")

        let output = STU3Renderer.render(mapping, context: STU3RenderContext(export: export))
        let condition = try #require(output.resources.first { $0.id == "pzc-berg-p-astma" })
        #expect(condition["clinicalStatus"] == "active")
        #expect(condition["abatementDateTime"] == nil)
        #expect(output.unmapped.filter { $0.entryID == "p-astma" } == [
            UnmappedEntry(
                entryID: "p-astma", section: "dossier.problems",
                reason: "resolved date 2020-01-01 on an active problem: STU3 allows an abatement only when the problem is no longer active (con-4); left out")
        ])
    }

    @Test("an inactive problem's resolved date is the STU3 abatement, with nothing reported")
    func inactiveWithResolvedDate() throws {
        let fixture = try ZibFixture.rendered()
        let condition = try #require(fixture.resource("Condition", "pzc-berg-p-rugpijn"))
        #expect(condition["abatementDateTime"] == "2026-01-10")
        #expect(fixture.reasons("p-rugpijn") == [])
    }

    @Test("a minimal export maps to just the patient")
    func minimalExport() throws {
        let json = """
            {"format": "zorgnet-pzc/1", "pzc": {"id": "pzc-min", "title": "T", "createdAt": "2026-01-01T10:00:00+01:00"},
             "patient": {"name": {"family": "Dekker"}, "birthDate": "1950-02-01", "gender": "unknown"}}
            """
        let export = try PZCExport.decode(from: Data(json.utf8))
        let output = STU3Renderer.render(PZCMapper.map(export), context: STU3RenderContext(export: export))
        #expect(output.resources.map(\.resourceType) == ["Patient"])
        #expect(output.unmapped.isEmpty)
        #expect(output.resources.first?["_gender"]?.codeSpecification == "http://hl7.org/fhir/v3/NullFlavor|UNK")
    }
}
