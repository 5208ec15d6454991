import GRDB

/// Small facts about a data directory, such as whether it was created for the demo.
///
/// ```swift
/// let settings = GatewaySettings(database: database)
/// try await settings.set(.demo, "true")
/// ```
public struct GatewaySettings: Sendable {
    public enum Name: String, Sendable {
        /// Set when the data directory was created by `serve --demo`; dev-only commands require it.
        case demo
    }

    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    public func value(_ name: Name) async throws -> String? {
        try await database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM gateway_setting WHERE name = ?", arguments: [name.rawValue])
        }
    }

    public func set(_ name: Name, _ value: String) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: "INSERT INTO gateway_setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                arguments: [name.rawValue, value])
        }
    }

    public var isDemo: Bool {
        get async throws { try await value(.demo) == "true" }
    }
}
