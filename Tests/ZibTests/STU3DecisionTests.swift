import FHIR
import Foundation
import Testing

@testable import Zib

/// Rules of FHIR STU3 or of a zib2017 profile are the STU3 renderer's to apply: the zib values keep
/// what the export says, so a renderer for another FHIR version can decide afresh. What STU3 leaves out
/// still reaches the import report, with its entry.
@Suite("STU3-specific decisions live in the STU3 renderer, not in the zib values")
struct STU3DecisionTests {
    static func render(_ json: String) throws -> (MappingResult, RenderOutput) {
        let export = try PZCExport.decode(from: Data(json.utf8))
        let mapping = PZCMapper.map(export)
        return (mapping, STU3Renderer.render(mapping, context: STU3RenderContext(export: export)))
    }

    static let payerWithEnd = #""start": "2026-01-01", "end": "2026-12-31""#

    @Test("a policy start without end stays on the zib Betaler; the STU3 Coverage leaves the period out and reports it for the payer entry")
    func payerStartWithoutEnd() throws {
        let json = ZibFixture.json.replacingOccurrences(of: Self.payerWithEnd, with: #""start": "2026-01-01""#)
        #expect(json != ZibFixture.json)
        let (mapping, output) = try Self.render(json)
        let payer = try #require(mapping.values.compactMap { $0 as? Betaler }.first)
        #expect(payer.start == "2026-01-01")
        #expect(payer.end == nil)
        #expect(!mapping.unmapped.contains { $0.entryID == "payer" }, "the mapping itself has nothing to report")

        let coverage = try #require(output.resources.first { $0.resourceType == "Coverage" })
        #expect(coverage["period"] == nil)
        #expect(output.unmapped.filter { $0.entryID == "payer" } == [
            UnmappedEntry(
                entryID: "payer", section: "patient.payer",
                reason: "policy start without end: zib-Payer requires period.end; period left out")
        ])
    }

    @Test("a policy with start and end keeps both in the STU3 period and reports nothing")
    func payerWithBothDates() throws {
        let (mapping, output) = try Self.render(ZibFixture.json)
        #expect(ZibFixture.json.contains(Self.payerWithEnd))
        let payer = try #require(mapping.values.compactMap { $0 as? Betaler }.first)
        #expect(payer.start == "2026-01-01")
        #expect(payer.end == "2026-12-31")
        let coverage = try #require(output.resources.first { $0.resourceType == "Coverage" })
        #expect(coverage["period"] == ["start": "2026-01-01", "end": "2026-12-31"])
        #expect(!output.unmapped.contains { $0.entryID == "payer" })
    }

    @Test("a policy end alone is written as the STU3 period end")
    func payerEndOnly() throws {
        let json = ZibFixture.json.replacingOccurrences(of: Self.payerWithEnd, with: #""end": "2026-12-31""#)
        let (_, output) = try Self.render(json)
        let coverage = try #require(output.resources.first { $0.resourceType == "Coverage" })
        #expect(coverage["period"] == ["end": "2026-12-31"])
        #expect(!output.unmapped.contains { $0.entryID == "payer" })
    }

    @Test("an alert's concern is a zib-level kind; the STU3 renderer turns a problem into Condition and an allergy into AllergyIntolerance")
    func alertConcernKind() throws {
        let (mapping, output) = try Self.render(ZibFixture.json)
        let alert = try #require(mapping.values.compactMap { $0 as? Alert }.first)
        #expect(alert.concern == Alert.Concern(kind: .allergy, entryID: "a-pinda", display: "Pinda"))
        let flag = try #require(output.resources.first { $0.resourceType == "Flag" })
        #expect(flag[path: "extension", 0, "valueReference", "reference"] == "AllergyIntolerance/pzc-berg-a-pinda")

        let onProblem = ZibFixture.json.replacingOccurrences(of: #""concern": "a-pinda""#, with: #""concern": "p-astma""#)
        #expect(onProblem != ZibFixture.json)
        let (problemMapping, problemOutput) = try Self.render(onProblem)
        let problemAlert = try #require(problemMapping.values.compactMap { $0 as? Alert }.first)
        #expect(problemAlert.concern == Alert.Concern(kind: .problem, entryID: "p-astma", display: "Astma"))
        let problemFlag = try #require(problemOutput.resources.first { $0.resourceType == "Flag" })
        #expect(problemFlag[path: "extension", 0, "valueReference", "reference"] == "Condition/pzc-berg-p-astma")
        #expect(Alert.stu3Type(of: .problem) == "Condition")
        #expect(Alert.stu3Type(of: .allergy) == "AllergyIntolerance")
    }
}
