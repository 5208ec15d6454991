import Foundation
import GRDB

/// The outcome of walking the audit chain.
public enum AuditVerification: Sendable, Hashable, CustomStringConvertible {
    case intact(count: Int64, head: [UInt8])
    case broken(at: Int64, reason: Reason)

    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// A record is missing or out of place: the sequence jumps.
        case sequenceGap(expected: Int64)
        /// The record does not continue the chain of the record before it.
        case previousHashMismatch
        /// The record's content no longer matches its chain hash: it was edited.
        case contentAltered

        public var description: String {
            switch self {
            case .sequenceGap(let expected): "expected event \(expected) here: events are missing or reordered"
            case .previousHashMismatch: "does not link to the event before it: events were removed, inserted or reordered"
            case .contentAltered: "its content does not match its hash: the event was altered"
            }
        }
    }

    public var isIntact: Bool {
        if case .intact = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .intact(let count, let head):
            "audit chain intact: \(count) events, head \(head.prefix(8).map { String(format: "%02x", $0) }.joined())…"
        case .broken(let sequence, let reason):
            "audit chain broken at event \(sequence): \(reason)"
        }
    }
}

extension AuditLog {
    /// Walks the whole chain in sequence order and names the first event that breaks it.
    ///
    /// Truncation of the newest events leaves a shorter chain that is still consistent; detecting it
    /// needs a head kept elsewhere (signed checkpoints handed to auditors).
    public func verify() async throws -> AuditVerification {
        try await pool.read { db in
            var expected: Int64 = 1
            var previous = AuditLog.genesisHash
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit_event ORDER BY seq")
            while let row = try rows.next() {
                let sequence: Int64 = row["seq"]
                guard sequence == expected else {
                    return .broken(at: sequence, reason: .sequenceGap(expected: expected))
                }
                let previousHash = [UInt8](row["prev_hash"] as Data)
                guard previousHash == previous else {
                    return .broken(at: sequence, reason: .previousHashMismatch)
                }
                // A row whose values no longer decode cannot have been written by `append`: it was edited.
                guard let event = try? AuditLog.event(from: row) else {
                    return .broken(at: sequence, reason: .contentAltered)
                }
                let chainHash = [UInt8](row["chain_hash"] as Data)
                let recomputed = AuditLog.chainHash(
                    previous: previous, canonical: CanonicalEncoding.bytes(sequence: sequence, event: event))
                guard recomputed == chainHash else {
                    return .broken(at: sequence, reason: .contentAltered)
                }
                previous = chainHash
                expected += 1
            }
            return .intact(count: expected - 1, head: previous)
        }
    }
}
