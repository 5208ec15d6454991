import Foundation
import Testing

@testable import Audit

@Suite("Audit group commit")
struct AuditGroupCommitTests {
    @Test("concurrent appends share transactions, each returns only once its event is stored, and the chain stays whole")
    func concurrentAppends() async throws {
        let (log, directory) = try await AuditChainTests.makeLog(events: 1)
        let reader = try AuditLog(readingAt: directory + "/audit.sqlite")
        defer { try? reader.close() }
        let sequences = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let record = try await log.append(
                        AuditEvent(
                            recorded: "2026-11-23T14:00:00.000Z", channel: .back, method: "GET", path: "/fhir/Patient/p\(index)", status: 200,
                            kind: .read))
                    // Committed before the append returned: another connection already sees it.
                    let seen = try await reader.records(from: record.sequence, limit: 1).first
                    #expect(seen?.chainHash == record.chainHash)
                    return record.sequence
                }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(Set(sequences) == Set(2...201))
        #expect(try await log.verify() == .intact(count: 201, head: try #require(try await log.records(from: 201).first?.chainHash)))
        let transactions = await log.groupCommit.transactions
        #expect(transactions < 200, "200 appends at once took \(transactions) transactions")
    }
}
