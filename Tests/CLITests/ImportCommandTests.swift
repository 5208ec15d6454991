import Foundation
import Testing

/// `zorgnet import` and `zorgnet pzc list`, run as a user runs them.
@Suite("The import and pzc list commands")
struct ImportCommandTests {
    static let fixtures = CommandRunner.packageRoot.appendingPathComponent("Fixtures/pzc")

    /// The diabetes demo export with its first weight measured in pounds: a unit the zib does not take.
    static func exportWithUnmappedEntry(in directory: String) throws -> (path: String, entryID: String) {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("diabetes.json"))
        var export = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var measurements = try #require(export["measurements"] as? [[String: Any]])
        let index = try #require(measurements.firstIndex { $0["kind"] as? String == "bodyWeight" })
        measurements[index]["unit"] = "[lb_av]"
        export["measurements"] = measurements
        let path = directory + "/diabetes-pounds.json"
        try JSONSerialization.data(withJSONObject: export).write(to: URL(fileURLWithPath: path))
        return (path, try #require(measurements[index]["id"] as? String))
    }

    @Test("import prints each entry it could not map with its reason, and the --report file holds the same")
    func unmappedEntriesWithReasons() throws {
        let work = try CommandRunner.temporaryDirectory()
        let (export, entryID) = try Self.exportWithUnmappedEntry(in: work)
        let result = try CommandRunner.run(["import", export, "--data-dir", work + "/data", "--report", work + "/report.json"])
        #expect(result.status == 0, "\(result.standardError)")
        let line = result.standardOutput.split(separator: "\n").first { $0.contains("not mapped: entry '\(entryID)'") }
        #expect(line?.contains("measurements") == true, "\(result.standardOutput)")
        #expect(line?.contains("[lb_av]") == true, "the reason names the unit: \(line ?? "")")

        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work + "/report.json"))) as? [[String: Any]])
        #expect(report.count == 1)
        let summary = try #require(report.first?["summary"] as? [String: Any])
        let unmapped = try #require(summary["unmapped"] as? [[String: String]])
        let problem = try #require(unmapped.first { $0["entryID"] == entryID })
        #expect(problem["section"] == "measurements")
        #expect(problem["reason"]?.contains("[lb_av]") == true)
        #expect((summary["created"] as? Int ?? 0) > 20)
    }

    @Test("a second import of the same export creates nothing and says so")
    func reimportCreatesNothing() throws {
        let work = try CommandRunner.temporaryDirectory()
        let export = Self.fixtures.appendingPathComponent("astma-kind.json").path
        let first = try CommandRunner.run(["import", export, "--data-dir", work])
        #expect(first.status == 0, "\(first.standardError)")
        let second = try CommandRunner.run(["import", export, "--data-dir", work])
        #expect(second.status == 0)
        #expect(second.standardOutput.contains(": 0 created, 0 updated, "), "\(second.standardOutput)")
    }

    @Test("a directory with one broken export imports the others, names the broken file and exits 1")
    func brokenFileInDirectory() throws {
        let work = try CommandRunner.temporaryDirectory()
        let exports = work + "/exports"
        try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent("astma-kind.json").path, toPath: exports + "/a-kind.json")
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: exports + "/b-broken.json"))
        let result = try CommandRunner.run(["import", exports, "--data-dir", work + "/data"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("b-broken.json"), "\(result.standardError)")
        #expect(result.standardOutput.contains("created"), "the good export is still imported")

        let list = try CommandRunner.run(["pzc", "list", "--json", "--data-dir", work + "/data"])
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]])
        #expect(listed.count == 1)
    }

    @Test("pzc list --json gives one object per PZC with at least id, patient, name and bsn")
    func pzcListJSON() throws {
        let work = try CommandRunner.temporaryDirectory()
        let imported = try CommandRunner.run(["import", Self.fixtures.path, "--data-dir", work])
        #expect(imported.status == 0, "\(imported.standardError)")
        let result = try CommandRunner.run(["pzc", "list", "--json", "--data-dir", work])
        #expect(result.status == 0)
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        #expect(listed.count == 5)
        for pzc in listed {
            #expect(Set(pzc.keys).isSuperset(of: ["id", "patient", "name", "bsn"]), "\(pzc.keys.sorted())")
            #expect((pzc["patient"] as? String)?.hasSuffix("-patient") == true)
            #expect((pzc["bsn"] as? String)?.count == 9)
            #expect(!((pzc["name"] as? String) ?? "").isEmpty)
        }
        #expect(Set(listed.compactMap { $0["patient"] as? String }) == [
            "pzc-park-patient", "pzc-fert-patient", "pzc-diab-patient", "pzc-wils-patient", "pzc-kind-patient",
        ])
    }
}
