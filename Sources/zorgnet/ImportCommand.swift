import ArgumentParser
import Foundation
import Gateway
import PZCImport
import Store
import Zib

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import PZC exports (a file, or every *.json in a directory): map to zibs, validate, store.",
        discussion: "Re-importing an export writes nothing new; changed entries become new versions; entries gone from the export are reported, not deleted.")

    @OptionGroup var dataDirectory: DataDirectoryOption

    @Argument(help: "A PZC export file, or a directory of them.")
    var path: String

    @Option(help: "Write the unmapped entries and refused resources to this JSON file.")
    var report: String?

    @Option(help: "Directory with the project's profile definitions (default: Profiles/ of the checkout).")
    var profiles: String?

    func run() async throws {
        let files = try Self.exportFiles(at: path)
        guard let profilesDirectory = profiles ?? ProjectResources.profilesDirectory else {
            throw ValidationError("cannot find the Profiles/ directory; pass --profiles DIR")
        }
        let directory = DataDirectory(path: dataDirectory.path)
        try directory.create()
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        defer { try? database.close() }
        let importer = PZCImporter(database: database, validator: try ProfileValidator.loadProjectProfiles(from: profilesDirectory))
        var summaries = [ImportSummary]()
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let export: PZCExport
            do {
                export = try PZCExport.decode(from: data)
            } catch {
                throw ValidationError("\(file): \(error)")
            }
            let bar = ProgressBar(label: (file as NSString).lastPathComponent)
            let summary = try await importer.importExport(export, receivedBytes: Array(data)) { done, total in bar.update(done, total) }
            bar.finish()
            summaries.append(summary)
            print(
                "\(export.pzc.id): \(summary.created) created, \(summary.updated) updated, \(summary.unchanged) unchanged, "
                    + "\(summary.unmapped.count) not mapped, \(summary.invalid.count) refused by profile, \(summary.removed.count) gone from the export")
            for removed in summary.removed { print("  no longer in the export (kept): \(removed)") }
        }
        if let report {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(summaries).write(to: URL(fileURLWithPath: report))
        }
    }

    static func exportFiles(at path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("\(path) does not exist")
        }
        guard isDirectory.boolValue else { return [path] }
        let files = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".json") }.sorted()
        guard !files.isEmpty else { throw ValidationError("\(path) holds no *.json exports") }
        return files.map { (path as NSString).appendingPathComponent($0) }
    }
}

/// A one-line progress bar on standard error, shown only on a terminal and for large imports.
final class ProgressBar: Sendable {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1

    init(label: String) {
        self.label = label
    }

    func update(_ done: Int, _ total: Int) {
        guard enabled, total >= 1000 else { return }
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let line = "\r\(label) [\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] \(done)/\(total)"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
