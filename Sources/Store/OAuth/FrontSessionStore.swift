import Foundation
import GRDB

/// A browser session as stored: found by the SHA-256 hash of the cookie value, never the value itself.
public struct FrontSessionRecord: Sendable, Hashable {
    public var sessionHash: [UInt8]
    public var createdAtMilliseconds: Int64
    public var lastSeenAtMilliseconds: Int64
    /// The absolute end, whatever the activity.
    public var expiresAtMilliseconds: Int64
    /// What the front channel keeps in the session (JSON, owned by the Gateway module).
    public var data: [UInt8]

    public init(sessionHash: [UInt8], createdAtMilliseconds: Int64, lastSeenAtMilliseconds: Int64, expiresAtMilliseconds: Int64, data: [UInt8]) {
        self.sessionHash = sessionHash
        self.createdAtMilliseconds = createdAtMilliseconds
        self.lastSeenAtMilliseconds = lastSeenAtMilliseconds
        self.expiresAtMilliseconds = expiresAtMilliseconds
        self.data = data
    }
}

/// Browser sessions in `gateway.sqlite`.
public struct FrontSessionStore: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    public func insert(_ record: FrontSessionRecord) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO front_session (session_hash, created_at_ms, last_seen_at_ms, expires_at_ms, data_json)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Data(record.sessionHash), record.createdAtMilliseconds, record.lastSeenAtMilliseconds,
                    record.expiresAtMilliseconds, Data(record.data),
                ])
        }
    }

    public func find(hash: [UInt8]) async throws -> FrontSessionRecord? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM front_session WHERE session_hash = ?", arguments: [Data(hash)]).map { row in
                let hash: Data = row["session_hash"]
                let data: Data = row["data_json"]
                return FrontSessionRecord(
                    sessionHash: [UInt8](hash), createdAtMilliseconds: row["created_at_ms"],
                    lastSeenAtMilliseconds: row["last_seen_at_ms"], expiresAtMilliseconds: row["expires_at_ms"], data: [UInt8](data))
            }
        }
    }

    /// Saves the data and the time of this request (the idle timeout counts from it).
    public func update(hash: [UInt8], data: [UInt8], lastSeenAtMilliseconds: Int64) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: "UPDATE front_session SET data_json = ?, last_seen_at_ms = ? WHERE session_hash = ?",
                arguments: [Data(data), lastSeenAtMilliseconds, Data(hash)])
        }
    }

    public func delete(hash: [UInt8]) async throws {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM front_session WHERE session_hash = ?", arguments: [Data(hash)])
        }
    }

    /// Removes sessions past their absolute end or idle for longer than `idleMilliseconds`.
    public func deleteExpired(now milliseconds: Int64, idleMilliseconds: Int64) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: "DELETE FROM front_session WHERE expires_at_ms <= ? OR last_seen_at_ms + ? <= ?",
                arguments: [milliseconds, idleMilliseconds, milliseconds])
        }
    }
}
