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

    @Test("an active problem with a resolved date loses the date (FHIR con-4) and says so")
    func activeWithResolvedDate() throws {
        let json = ZibFixture.json.replacingOccurrences(of: #""onset": "1989-05-01""#, with: #""onset": "1989-05-01", "resolved": "2020-01-01""#)
        let export = try PZCExport.decode(from: Data(json.utf8))
        let problem = PZCMapper.map(export).values.compactMap { $0 as? Probleem }.first { $0.source.entryID == "p-astma" }
        #expect(problem?.resolved == nil)
        #expect(PZCMapper.map(export).unmapped.contains { $0.entryID == "p-astma" && $0.reason.contains("active problem") })
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
