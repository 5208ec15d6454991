import Foundation
import GRDB

/// Why the audit log could not be opened or read.
public enum AuditLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// ``AuditLog/init(readingAt:)`` found no file: there is no log to inspect (and none is created).
    case missingFile(path: String)
    /// The file exists but does not hold a complete audit log schema.
    case notAnAuditLog(path: String)
    /// An append was attempted on a log opened with ``AuditLog/init(readingAt:)``.
    case readOnly(path: String)
    /// A stored record has a value that no version of the gateway writes.
    case unreadableRecord(sequence: Int64, column: String)
    /// A checkpoint was refused because an event is missing from the sequence: signing it would
    /// vouch for a log with a hole in it.
    case sequenceGap(expected: Int64, found: Int64)

    public var description: String {
        switch self {
        case .missingFile(let path): "no audit log at \(path)"
        case .notAnAuditLog(let path): "\(path) is not a zorgnet audit log (or was written by a newer version)"
        case .readOnly(let path): "the audit log \(path) was opened read-only"
        case .unreadableRecord(let sequence, let column): "audit event \(sequence) has an unreadable \(column)"
        case .sequenceGap(let expected, let found): "audit event \(expected) is missing (the next event is \(found)); no checkpoint is signed over a gap"
        }
    }
}

extension AuditLog {
    /// Opens an existing log for inspection only: never creates the file, runs no migration and
    /// writes nothing, so verifying a log cannot alter the evidence (or invent an empty one).
    ///
    /// ```swift
    /// let log = try AuditLog(readingAt: "/var/lib/zorgnet/audit.sqlite")
    /// defer { try? log.close() }
    /// print(try await log.verify())
    /// ```
    ///
    /// Throws ``AuditLogError/missingFile(path:)`` when there is no file and
    /// ``AuditLogError/notAnAuditLog(path:)`` when it lacks the audit schema.
    public init(readingAt path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw AuditLogError.missingFile(path: path) }
        var configuration = Configuration()
        configuration.label = "audit-read"
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: configuration)
        let complete: Bool
        do {
            complete = try pool.read { db in try AuditLog.isReadable(db) }
        } catch {
            try? pool.close()
            throw AuditLogError.notAnAuditLog(path: path)
        }
        guard complete else {
            try? pool.close()
            throw AuditLogError.notAnAuditLog(path: path)
        }
        self.init(readOnlyPool: pool, path: path)
    }
}

extension AuditLog {
    /// Whether `db` holds an audit log this version can read: the first migration applied and nothing
    /// unknown. A log last written by an older gateway (fewer migrations) is readable as it is, since
    /// opening read-only must not migrate it; one written by a newer gateway is not.
    static func isReadable(_ db: Database) throws -> Bool {
        let known = migrator.migrations
        let applied = try migrator.appliedIdentifiers(db)
        guard let first = known.first, applied.contains(first) else { return false }
        return applied.isSubset(of: known)
    }
}
