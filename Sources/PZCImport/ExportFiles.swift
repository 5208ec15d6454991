import Foundation
import Zib

/// Why one export file was not imported. The other files of the same run are imported regardless.
public enum ExportFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path given does not exist.
    case notFound(String)
    /// A directory without any `*.json` file.
    case noExports(inDirectory: String)
    /// The file cannot be read from disk.
    case unreadable(file: String, reason: String)
    /// The file is not a valid `zorgnet-pzc/1` export.
    case invalidExport(file: String, PZCFormatError)
    /// The export was read but storing it failed (e.g. the database refused the write).
    case storeFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path): "\(path) does not exist"
        case .noExports(let directory): "\(directory) holds no *.json exports"
        case .unreadable(let file, let reason): "\(file): cannot be read: \(reason)"
        case .invalidExport(let file, let error): "\(file): \(error)"
        case .storeFailed(let file, let reason): "\(file): import failed: \(reason)"
        }
    }
}

/// What importing one file gave: its summary, or why it was not imported.
public struct FileImportResult: Sendable {
    public var file: String
    public var outcome: Result<ImportSummary, ExportFileError>

    public init(file: String, outcome: Result<ImportSummary, ExportFileError>) {
        self.file = file
        self.outcome = outcome
    }
}

/// The export files a path names: the file itself, or every `*.json` in a directory, sorted.
///
/// ```swift
/// let files = try ExportFiles.list(at: "Fixtures/pzc")   // [".../astma-kind.json", ".../diabetes.json", …]
/// ```
public enum ExportFiles {
    public static func list(at path: String) throws(ExportFileError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(path) }
        guard isDirectory.boolValue else { return [path] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw .unreadable(file: path, reason: "\(error)")
        }
        let exports = names.filter { $0.hasSuffix(".json") }.sorted()
        guard !exports.isEmpty else { throw .noExports(inDirectory: path) }
        return exports.map { (path as NSString).appendingPathComponent($0) }
    }
}

extension PZCImporter {
    /// Called while importing several files: (file number from 1, number of files, file name,
    /// progress within the file as done and total).
    public typealias FilesProgress = @Sendable (_ file: Int, _ files: Int, _ name: String, _ done: Int, _ total: Int) -> Void

    /// Imports the files one after another. A file that cannot be read, is not a valid export or
    /// cannot be stored is reported in its result (one that cannot be read or decoded changes nothing);
    /// the other files are still imported, so one bad export never holds back the rest.
    ///
    /// Reading, decoding, rendering and validating an export needs a core but not the database;
    /// storing it needs the database's one writer. So the next file is prepared while the current one
    /// is stored, in a child task, and a directory of exports keeps two cores busy instead of one.
    public func importFiles(_ files: [String], at date: Date = Date(), progress: FilesProgress? = nil) async -> [FileImportResult] {
        let reporter = { (index: Int) -> Progress in
            let name = (files[index] as NSString).lastPathComponent
            return { done, total in progress?(index + 1, files.count, name, done, total) }
        }
        guard !files.isEmpty else { return [] }
        var results: [FileImportResult] = []
        results.reserveCapacity(files.count)
        var current = prepareFile(files[0], progress: reporter(0))
        for index in files.indices {
            let following = index + 1 < files.count ? files[index + 1] : nil
            async let next = following.map { prepareFile($0, progress: nil) }
            results.append(FileImportResult(file: files[index], outcome: await storeFile(current, path: files[index], at: date, progress: reporter(index))))
            if let upcoming = await next { current = upcoming }
        }
        return results
    }

    /// A file read, decoded and prepared; storing it is what remains.
    private typealias PreparedFile = Result<(export: PZCExport, prepared: Prepared), ExportFileError>

    private func prepareFile(_ file: String, progress: Progress?) -> PreparedFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            return .failure(.unreadable(file: file, reason: error.localizedDescription))
        }
        let export: PZCExport
        do {
            export = try PZCExport.decode(from: data)
        } catch {
            return .failure(.invalidExport(file: file, error))
        }
        return .success((export, Self.prepare(export, renderer: renderer, validator: validator, progress: progress)))
    }

    private func storeFile(_ file: PreparedFile, path: String, at date: Date, progress: @escaping Progress) async -> Result<ImportSummary, ExportFileError> {
        switch file {
        case .failure(let error):
            return .failure(error)
        case .success(let (export, prepared)):
            // Preparing is the first half of a file's progress; a file prepared ahead reports it now.
            progress(prepared.resources, prepared.resources * 2)
            do {
                return .success(try await store(prepared, of: export, at: date, progress: progress))
            } catch {
                return .failure(.storeFailed(file: path, reason: "\(error)"))
            }
        }
    }
}
