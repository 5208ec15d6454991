import Foundation
import GRDB

/// (e) The limit for push: the rows the push path wrote, inserted straight into SQLite with GRDB and
/// the gateway's settings (WAL through a DatabasePool, `synchronous` NORMAL and foreign keys on for
/// gateway.sqlite; FULL for audit.sqlite), one transaction per pushed bundle as the push path commits.
///
/// Before the push run, `snapshot` copies both databases (SQLite's backup API, safe while the gateway
/// runs). After it, `measure` takes the rows present in the live database and not in the copy (see
/// `newRows`) and inserts them into the copy, timed. Rows the push path updated in place, or added to
/// resources that existed before (the pushed Patient's new version), are not counted.
struct RawSQLiteBaseline {
    let livePath: String
    let copyPath: String
    let synchronousFull: Bool

    func snapshot() throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copyPath + suffix) }
        let live = try DatabaseQueue(path: livePath, configuration: Self.readOnly())
        let copy = try DatabaseQueue(path: copyPath)
        try live.backup(to: copy)
        try copy.close()
        try live.close()
    }

    struct Outcome: Sendable, Codable {
        var rows: Int
        var transactions: Int
        var seconds: Double
        var rowsPerTable: [String: Int]
    }

    /// Inserts the new rows in `transactions` transactions. Rows that belong to a resource (a
    /// `resource_key` column) go with that resource's transaction, so each commit is whole as in the
    /// push path; other rows are shared out in order.
    func measure(transactions: Int) throws -> Outcome {
        let tables = try newRows()
        var resourceGroup: [Int64: Int] = [:]
        if let resources = tables.first(where: { $0.name == "resource" }), let keyIndex = resources.columns.firstIndex(of: "resource_key") {
            for (position, row) in resources.rows.enumerated() {
                if let key = Int64.fromDatabaseValue(row[keyIndex]) {
                    resourceGroup[key] = position * transactions / Swift.max(1, resources.rows.count)
                }
            }
        }
        var batches = Array(repeating: [(table: Int, row: [DatabaseValue])](), count: transactions)
        for (tableIndex, table) in tables.enumerated() {
            let keyIndex = table.columns.firstIndex(of: "resource_key")
            for (position, row) in table.rows.enumerated() {
                let group = keyIndex.flatMap { Int64.fromDatabaseValue(row[$0]) }.flatMap { resourceGroup[$0] }
                    ?? position * transactions / Swift.max(1, table.rows.count)
                batches[group].append((tableIndex, row))
            }
        }
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA foreign_keys = ON") }
        let pool = try DatabasePool(path: copyPath, configuration: configuration)
        if synchronousFull { try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") } }
        let inserts = tables.map { table in
            let columns = table.columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
            return "INSERT INTO \"\(table.name)\" (\(columns)) VALUES (\(marks))"
        }
        let start = DispatchTime.now().uptimeNanoseconds
        for batch in batches where !batch.isEmpty {
            try pool.write { db in
                for (tableIndex, row) in batch {
                    try db.cachedStatement(sql: inserts[tableIndex]).execute(arguments: StatementArguments(row))
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try pool.close()
        return Outcome(
            rows: batches.map(\.count).reduce(0, +), transactions: transactions, seconds: seconds,
            rowsPerTable: Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0.rows.count) }))
    }

    private struct NewRows {
        var name: String
        var columns: [String]
        var rows: [[DatabaseValue]]
    }

    /// Per table, in creation order (parents before children), the rows of the live database that the
    /// copy lacks: rows of resources created since the copy (`resource_key` above the copy's highest),
    /// rows past the copy's highest rowid, and for the small WITHOUT ROWID tables the `EXCEPT`.
    private func newRows() throws -> [NewRows] {
        let copy = try DatabaseQueue(path: copyPath)
        defer { try? copy.close() }
        return try copy.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS live", arguments: [livePath])
            defer { try? db.execute(sql: "DETACH DATABASE live") }
            let tables = try Row.fetchAll(
                db, sql: "SELECT name, sql FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY rowid")
            let hasResources = tables.contains { ($0["name"] as String) == "resource" }
            return try tables.compactMap { table in
                let name: String = table["name"]
                let withoutRowID = (table["sql"] as String? ?? "").uppercased().contains("WITHOUT ROWID")
                let columns = try Row.fetchAll(db, sql: "PRAGMA main.table_info(\"\(name)\")").map { $0["name"] as String }
                let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                let query: String
                if hasResources, columns.contains("resource_key") {
                    query = "SELECT \(list) FROM live.\"\(name)\" WHERE resource_key > (SELECT COALESCE(MAX(resource_key), 0) FROM main.resource)"
                } else if !withoutRowID {
                    query = "SELECT \(list) FROM live.\"\(name)\" WHERE rowid > (SELECT COALESCE(MAX(rowid), 0) FROM main.\"\(name)\")"
                } else {
                    query = "SELECT \(list) FROM live.\"\(name)\" EXCEPT SELECT \(list) FROM main.\"\(name)\""
                }
                let rows = try Row.fetchAll(db, sql: query).map { Array($0.databaseValues) }
                return rows.isEmpty ? nil : NewRows(name: name, columns: columns, rows: rows)
            }
        }
    }

    private static func readOnly() -> Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }
}
