import Foundation
import Store
import Testing
import Zib

@testable import PZCImport

/// Collects what a @Sendable callback reports; the lock makes it safe to share.
final class Recorder<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []

    func append(_ item: Element) {
        lock.lock()
        defer { lock.unlock() }
        items.append(item)
    }

    var all: [Element] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

@Suite("Importing a directory of exports")
struct DirectoryImportTests {
    static func directory(with files: [String: String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-exports-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + name)) }
        return path
    }

    static func fertility() throws -> String {
        String(decoding: try Data(contentsOf: PZCImporterTests.fixtures.appendingPathComponent("fertiliteit.json")), as: UTF8.self)
    }

    @Test("one bad file does not stop the others: it is reported with its error, the rest is imported")
    func badFileIsReported() async throws {
        let good = try Self.fertility()
        let misspelt = good.replacingOccurrences(of: #""birthDate": "1992-03-08""#, with: #""birthDate": "1992-03-08", "birthdate": "1992""#)
        #expect(misspelt != good)
        let path = try Self.directory(with: ["a-not-json.json": "{ no", "b-fertiliteit.json": good, "c-misspelt.json": misspelt, "notes.txt": "x"])
        let (importer, database) = try PZCImporterTests.makeImporter()

        let results = await importer.importFiles(try ExportFiles.list(at: path))
        #expect(results.map { ($0.file as NSString).lastPathComponent } == ["a-not-json.json", "b-fertiliteit.json", "c-misspelt.json"])
        guard case .failure(.invalidExport(let file, _)) = results[0].outcome else {
            Issue.record("a file that is not JSON must fail as an invalid export: \(results[0].outcome)")
            return
        }
        #expect(file.hasSuffix("a-not-json.json"))
        guard case .success(let summary) = results[1].outcome else {
            Issue.record("the good export must import: \(results[1].outcome)")
            return
        }
        #expect(summary.created > 20)
        guard case .failure(let error) = results[2].outcome else {
            Issue.record("the misspelt export must fail: \(results[2].outcome)")
            return
        }
        #expect(error == .invalidExport(file: path + "/c-misspelt.json", .unknownKeys(["patient.birthdate"])))
        #expect(error.description.hasSuffix("c-misspelt.json: invalid PZC export: patient.birthdate: unknown key"))
        #expect(try await PZCRecords(database: database).all().map(\.pzcID) == ["pzc-fert"])
    }

    @Test("a path that names nothing is refused by name")
    func missingPath() {
        #expect(throws: ExportFileError.notFound("no-such-export.json")) { try ExportFiles.list(at: "no-such-export.json") }
    }

    @Test("a directory without any *.json is refused")
    func emptyDirectory() throws {
        let path = try Self.directory(with: ["readme.txt": "geen export"])
        #expect(throws: ExportFileError.noExports(inDirectory: path)) { try ExportFiles.list(at: path) }
    }

    @Test("progress names each file of the directory and reaches the end of every file")
    func progressPerFile() async throws {
        let good = try Self.fertility()
        let path = try Self.directory(with: ["a.json": good, "b.json": good])
        let (importer, _) = try PZCImporterTests.makeImporter()
        let recorder = Recorder<(file: Int, files: Int, name: String, done: Int, total: Int)>()
        _ = await importer.importFiles(try ExportFiles.list(at: path)) { recorder.append(($0, $1, $2, $3, $4)) }
        let reports = recorder.all
        #expect(Set(reports.map(\.name)) == ["a.json", "b.json"])
        #expect(reports.allSatisfy { $0.files == 2 && $0.done <= $0.total })
        for file in [1, 2] {
            let last = try #require(reports.last { $0.file == file })
            #expect(last.done == last.total)
        }
    }
}

@Suite("The import progress bar")
struct ImportProgressBarTests {
    @Test("the line shows the file of the run, its name and how far it is", arguments: [
        (1, 5, 0, 100, "[1/5] a.json [          ]   0%"),
        (2, 5, 50, 100, "[2/5] a.json [#####     ]  50%"),
        (5, 5, 100, 100, "[5/5] a.json [##########] 100%"),
        (1, 1, 0, 0, "[1/1] a.json [##########] 100%"),
    ])
    func line(_ file: Int, _ files: Int, _ done: Int, _ total: Int, _ expected: String) {
        #expect(ImportProgressBar.line(file: file, files: files, name: "a.json", done: done, total: total, width: 10) == expected)
    }

    @Test("on a terminal it redraws in place, only when the picture changes, and clears itself")
    func drawsOnTerminal() {
        let written = Recorder<String>()
        let bar = ImportProgressBar(enabled: true, width: 10) { written.append($0) }
        bar.update(file: 1, files: 2, name: "a.json", done: 1, total: 100)
        bar.update(file: 1, files: 2, name: "a.json", done: 1, total: 100)
        bar.update(file: 2, files: 2, name: "b.json", done: 100, total: 100)
        bar.clear()
        #expect(written.all == [
            "\r[1/2] a.json [          ]   1%\u{1B}[K", "\r[2/2] b.json [##########] 100%\u{1B}[K", "\r\u{1B}[K",
        ])
    }

    @Test("when standard output is not a terminal it writes nothing at all")
    func quietWhenNotATerminal() {
        let written = Recorder<String>()
        let bar = ImportProgressBar(enabled: false) { written.append($0) }
        bar.update(file: 1, files: 1, name: "a.json", done: 5, total: 10)
        bar.clear()
        #expect(written.all.isEmpty)
    }
}
