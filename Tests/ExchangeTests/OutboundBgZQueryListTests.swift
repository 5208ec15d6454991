import Exchange
import Foundation
import Testing

/// The one BgZ query list the collect flow sends, and the script's copy of it.
@Suite("The shared BgZ query list")
struct OutboundBgZQueryListTests {
    @Test func theListHasTheTwentyEightQueriesNumberedInOrder() {
        #expect(BgZQueries.all.map(\.number) == Array(1...28))
        #expect(Set(BgZQueries.all.map(\.path)).count == 28)
    }

    @Test func fetchBgZScriptSendsExactlyTheSharedQueriesInTheSameOrder() throws {
        let script = try String(contentsOf: ListFixtures.repositoryRoot.appendingPathComponent("Scripts/fetch-bgz.sh"), encoding: .utf8)
        let block = try #require(script.components(separatedBy: "queries=(\n").dropFirst().first?.components(separatedBy: "\n)").first)
        let scripted = block.split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")).replacingOccurrences(of: "\\$", with: "$")
        }
        #expect(scripted == BgZQueries.all.map(\.path))
    }

    @Test func matchAndIncludeTypesComeFromThePath() throws {
        let coverage = try #require(BgZQueries.all.first { $0.number == 2 })
        #expect(coverage.matchType == "Coverage")
        #expect(coverage.includeTypes == ["Patient", "Organization"])
        let bloodPressure = try #require(BgZQueries.all.first { $0.number == 19 })
        #expect(bloodPressure.matchType == "Observation")
        #expect(bloodPressure.includeTypes.isEmpty)
        #expect(BgZQueries.all.first?.includeTypes.contains("Practitioner") == true)
    }
}
