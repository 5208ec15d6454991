import Foundation
import GRDB

/// What an auditor asks of the log: a time window and the usual NEN 7513 questions (which patient,
/// who, which data, what kind of event, with what outcome). Every criterion narrows; none given
/// means every event.
///
/// ```swift
/// var query = AuditQuery()
/// query.patientID = "pzc-park-patient"
/// query.since = "2026-03-01T00:00:00.000Z"
/// let page = try await log.search(query, count: 50)
/// ```
public struct AuditQuery: Sendable, Hashable {
    /// Inclusive lower bound on `recorded` (a UTC instant or a prefix of one, e.g. `2026-03-01`).
    public var since: String?
    /// Upper bound on `recorded`: with a prefix, everything within it (`2026-03` means all of March).
    public var until: String?
    public var patientID: String?
    /// A party id (app, organisation, member) or a person (`citizen:…`, `professional:…`).
    public var agent: String?
    /// A resource as `Type/id`; matches every version of it (`Type/id/_history/n`) too.
    public var entity: String?
    /// Kinds to include: a full kind (`consent.revoke`) or its group (`consent`).
    public var kinds: [String] = []
    public var outcomes: [AuditOutcome] = []
    /// Only events after this sequence number (paging).
    public var after: Int64?

    public init() {}

    /// The `WHERE` clause and its arguments over `audit_event`.
    func sql() -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let since {
            clauses.append("recorded >= ?")
            arguments += [since]
        }
        if let until {
            // A prefix covers everything that starts with it: compare against the prefix followed by
            // the highest character, so "2026-03" includes every instant in March.
            clauses.append("recorded <= ?")
            arguments += [until + "\u{10FFFF}"]
        }
        if let patientID {
            clauses.append("patient_id = ?")
            arguments += [patientID]
        }
        if let agent {
            clauses.append("(party_id = ? OR user_id = ?)")
            arguments += [agent, agent]
        }
        if let entity {
            clauses.append("EXISTS (SELECT 1 FROM json_each(audit_event.entities) WHERE value = ? OR value LIKE ? ESCAPE '\\')")
            arguments += [entity, Self.likeEscaped(entity) + "/\\_history/%"]
        }
        if !kinds.isEmpty {
            let alternatives = kinds.map { _ in "(kind = ? OR kind LIKE ? ESCAPE '\\')" }
            clauses.append("(" + alternatives.joined(separator: " OR ") + ")")
            for kind in kinds { arguments += [kind, Self.likeEscaped(kind) + ".%"] }
        }
        if !outcomes.isEmpty {
            clauses.append("(" + outcomes.map(\.sqlCondition).joined(separator: " OR ") + ")")
        }
        if let after {
            clauses.append("seq > ?")
            arguments += [after]
        }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), arguments)
    }

    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}

/// The outcome of an event as FHIR `AuditEvent.outcome` codes it.
public enum AuditOutcome: String, Sendable, Hashable, CaseIterable {
    /// Success: HTTP below 400, or a command that succeeded.
    case success = "0"
    /// Minor failure: refused (HTTP 4xx), or a command that failed.
    case minorFailure = "4"
    /// Serious failure: the gateway failed (HTTP 5xx).
    case seriousFailure = "8"

    public static func of(_ event: AuditEvent) -> AuditOutcome {
        if event.channel == .cli { return event.status == 0 ? .success : .minorFailure }
        return event.status >= 500 ? .seriousFailure : event.status >= 400 ? .minorFailure : .success
    }

    var sqlCondition: String {
        switch self {
        case .success: "((channel = 'cli' AND status = 0) OR (channel <> 'cli' AND status < 400))"
        case .minorFailure: "((channel = 'cli' AND status <> 0) OR (channel <> 'cli' AND status >= 400 AND status < 500))"
        case .seriousFailure: "(channel <> 'cli' AND status >= 500)"
        }
    }
}

/// One page of a search.
public struct AuditSearchPage: Sendable {
    public var records: [AuditRecord]
    /// Every event matching the query, over all pages.
    public var total: Int
    /// How many of those carry a consent decision (each also renders as a BALP consent-decision event).
    public var withDecision: Int = 0
    /// Where the next page starts (the last sequence number of this one); nil on the last page.
    public var next: Int64?
}

extension AuditLog {
    /// Events matching `query`, oldest first, `count` at a time; `total` counts all matches unless
    /// `countingTotal` is false (then it is the page's own count).
    public func search(_ query: AuditQuery, count: Int, countingTotal: Bool = true) async throws -> AuditSearchPage {
        let (whereClause, arguments) = query.sql()
        var totalQuery = query
        totalQuery.after = nil
        let (totalWhere, totalArguments) = totalQuery.sql()
        return try await pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM audit_event WHERE \(whereClause) ORDER BY seq LIMIT ?", arguments: arguments + [count + 1])
            let records = try rows.prefix(count).map(AuditLog.record(from:))
            var total = records.count
            var withDecision = records.filter { $0.event.decision != nil }.count
            if countingTotal,
                let counts = try Row.fetchOne(
                    db, sql: "SELECT count(*) AS total, count(decision) AS decided FROM audit_event WHERE \(totalWhere)", arguments: totalArguments)
            {
                total = counts["total"]
                withDecision = counts["decided"]
            }
            return AuditSearchPage(
                records: records, total: total, withDecision: withDecision, next: rows.count > count ? records.last?.sequence : nil)
        }
    }

    /// Every event matching `query`, oldest first, read in batches so that an export of millions of
    /// events never holds more than one batch in memory.
    ///
    /// ```swift
    /// for try await record in log.records(matching: query) { write(record) }
    /// ```
    public func records(matching query: AuditQuery, batchSize: Int = 500) -> AuditRecordSequence {
        AuditRecordSequence(log: self, query: query, batchSize: batchSize)
    }
}

/// The events of a query as an async sequence, fetched a batch at a time as the consumer reads.
public struct AuditRecordSequence: AsyncSequence, Sendable {
    public typealias Element = AuditRecord

    let log: AuditLog
    let query: AuditQuery
    let batchSize: Int

    public struct AsyncIterator: AsyncIteratorProtocol {
        let log: AuditLog
        var query: AuditQuery
        let batchSize: Int
        var buffer: [AuditRecord] = []
        var finished = false

        public mutating func next() async throws -> AuditRecord? {
            if buffer.isEmpty && !finished {
                let page = try await log.search(query, count: batchSize, countingTotal: false)
                buffer = page.records.reversed()
                if let next = page.next { query.after = next } else { finished = true }
            }
            return buffer.popLast()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(log: log, query: query, batchSize: batchSize)
    }
}
