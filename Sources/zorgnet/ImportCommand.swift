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
        discussion: """
            Re-importing an export writes nothing new; changed entries become new versions; entries gone from the \
            export are reported with their entry id, not deleted. A file that cannot be imported is reported and the \
            others are still imported; the command then exits with status 1.
            """)

    @OptionGroup var dataDirectory: DataDirectoryOption

    @Argument(help: "A PZC export file, or a directory of them.")
    var path: String

    @Option(help: "Write the summaries, unmapped entries, refused resources and failed files to this JSON file.")
    var report: String?

    @Option(help: "Directory with the project's profile definitions (default: Profiles/ of the checkout).")
    var profiles: String?

    func run() async throws {
        let files: [String]
        do {
            files = try ExportFiles.list(at: path)
        } catch {
            throw ValidationError(error.description)
        }
        guard let profilesDirectory = profiles ?? ProjectResources.profilesDirectory else {
            throw ValidationError("cannot find the Profiles/ directory; pass --profiles DIR")
        }
        let directory = DataDirectory(path: dataDirectory.path)
        try directory.create()
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        defer { try? database.close() }
        let importer = PZCImporter(database: database, validator: try ProfileValidator.loadProjectProfiles(from: profilesDirectory))

        // The bar goes to standard output, so it is drawn only when that is a terminal.
        let bar = ImportProgressBar(enabled: isatty(STDOUT_FILENO) == 1) { text in Output.write(text) }
        let results = await importer.importFiles(files) { file, count, name, done, total in
            bar.update(file: file, files: count, name: name, done: done, total: total)
        }
        bar.clear()

        for result in results {
            switch result.outcome {
            case .success(let summary): Output.line(Self.describe(summary))
            case .failure(let error): Output.error("not imported: \(error)")
            }
        }
        if let report { try Self.writeReport(results, to: report) }
        let failed = results.filter { if case .failure = $0.outcome { true } else { false } }
        if !failed.isEmpty {
            Output.error("\(failed.count) of \(results.count) file(s) not imported")
            throw ExitCode.failure
        }
    }

    static func describe(_ summary: ImportSummary) -> String {
        var lines = [
            "\(summary.pzcID): \(summary.created) created, \(summary.updated) updated, \(summary.unchanged) unchanged, "
                + "\(summary.unmapped.count) not mapped, \(summary.invalid.count) refused by profile, \(summary.removed.count) gone from the export"
        ]
        lines += summary.unmapped.map { "  not mapped: \($0)" }
        lines += summary.invalid.map { "  refused by profile (not stored): \($0)" }
        lines += summary.removed.map { "  no longer in the export (kept): \($0)" }
        return lines.joined(separator: "\n")
    }

    /// The report: one object per file, with its summary or its error.
    static func writeReport(_ results: [FileImportResult], to path: String) throws {
        struct Entry: Encodable {
            var file: String
            var summary: ImportSummary?
            var error: String?
        }
        let entries = results.map { result in
            switch result.outcome {
            case .success(let summary): Entry(file: result.file, summary: summary)
            case .failure(let error): Entry(file: result.file, error: error.description)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(entries).write(to: URL(fileURLWithPath: path))
    }
}

/// Everything the import command prints goes through one unbuffered channel per stream, so the
/// progress bar and the summary lines never interleave out of order.
enum Output {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func line(_ text: String) {
        write(text + "\n")
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
