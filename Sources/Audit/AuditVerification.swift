import Crypto
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
        /// A checkpoint's signature does not verify with the audit public key: it was forged or edited.
        case checkpointSignatureInvalid(size: Int64)
        /// The log ends before a signed checkpoint: newer events were cut off.
        case truncated(checkpointSize: Int64)
        /// The chain is consistent in itself, but no longer matches a signed checkpoint: events up to
        /// `checkpointSize` were rewritten (hashes recomputed); the first change lies at or after here.
        case checkpointMismatch(checkpointSize: Int64)
        /// A pruning record is not signed with the audit key, or the leaf hashes kept for the pruned
        /// events no longer add up to its root: events were removed without a real pruning.
        case pruningInvalid(through: Int64)

        public var description: String {
            switch self {
            case .sequenceGap(let expected): "expected event \(expected) here: events are missing or reordered"
            case .previousHashMismatch: "does not link to the event before it: events were removed, inserted or reordered"
            case .contentAltered: "its content does not match its hash: the event was altered"
            case .checkpointSignatureInvalid(let size):
                "the checkpoint of \(size) events does not carry a valid signature of the audit key: it was forged or edited"
            case .truncated(let size): "the log ends here, but a signed checkpoint covers \(size) events: events were cut off"
            case .checkpointMismatch(let size):
                "the events from here up to \(size) no longer match the signed checkpoint of \(size) events: they were rewritten"
            case .pruningInvalid(let through):
                "the record of pruning events up to \(through) is not signed with the audit key or does not match what it pruned"
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
            // After a pruning the chain starts where the pruning says it ended (its signature is
            // checked by ``verify(publicKey:held:)``).
            let pruned = try AuditLog.prunings(db).last
            var expected: Int64 = (pruned?.through ?? 0) + 1
            var previous = pruned?.chainHead ?? AuditLog.genesisHash
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

extension AuditLog {
    /// Walks the chain (``verify()``), then checks every checkpoint, the stored ones and those held
    /// elsewhere (`held`, e.g. exported earlier to an auditor): each must be signed with `publicKey`,
    /// lie within the log, and match the Merkle root and chain head of the events it covers.
    ///
    /// This finds what the chain alone cannot: a log cut back to fewer events, and a log rewritten with
    /// every hash recomputed. A rewrite is placed between the last checkpoint that still matches and
    /// the first that does not.
    public func verify(publicKey: Curve25519.Signing.PublicKey, held: [AuditCheckpoint] = []) async throws -> AuditVerification {
        let chain = try await verify()
        guard case .intact(let count, let head) = chain else { return chain }
        for pruning in try await prunings() {
            let leaves = try await pool.read { db in try AuditLog.prunedLeaves(db, upTo: pruning.through) }
            let signed = pruning.keyID == AuditSigningKey.keyID(of: publicKey)
                && publicKey.isValidSignature(pruning.signature, for: Data(pruning.signedText.utf8))
            guard signed, Int64(leaves.count) == pruning.through, MerkleTree.root(leaves) == pruning.root else {
                return .broken(at: pruning.through, reason: .pruningInvalid(through: pruning.through))
            }
        }
        var bySize: [Int64: AuditCheckpoint] = [:]
        for checkpoint in try await checkpoints() + held { bySize[checkpoint.size] = checkpoint }
        let ordered = bySize.values.sorted { $0.size < $1.size }
        for checkpoint in ordered where !checkpoint.isSigned(by: publicKey) {
            return .broken(at: min(checkpoint.size, count + 1), reason: .checkpointSignatureInvalid(size: checkpoint.size))
        }
        if let beyond = ordered.last, beyond.size > count {
            return .broken(at: count + 1, reason: .truncated(checkpointSize: beyond.size))
        }
        let (leaves, _) = try await pool.read { db in try AuditLog.leaves(db, upTo: count) }
        let prunedThrough = try await prunings().last?.through ?? 0
        let roots = MerkleTree.prefixRoots(leaves, sizes: Set(ordered.map { Int($0.size) }))
        var lastGood: Int64 = 0
        for checkpoint in ordered {
            let root = roots[Int(checkpoint.size)]
            // Inside a pruned range only the leaf hashes remain: the root still checks them, the chain head cannot.
            let chainHead = checkpoint.size < prunedThrough ? checkpoint.chainHead : try await chainHead(after: checkpoint.size)
            guard root == checkpoint.root, chainHead == checkpoint.chainHead else {
                return .broken(at: lastGood + 1, reason: .checkpointMismatch(checkpointSize: checkpoint.size))
            }
            lastGood = checkpoint.size
        }
        return .intact(count: count, head: head)
    }

    private func chainHead(after size: Int64) async throws -> [UInt8] {
        guard size > 0 else { return AuditLog.genesisHash }
        return try await pool.read { db in
            if let pruning = try AuditLog.prunings(db).first(where: { $0.through == size }) { return pruning.chainHead }
            return (try Data.fetchOne(db, sql: "SELECT chain_hash FROM audit_event WHERE seq = ?", arguments: [size])).map { [UInt8]($0) } ?? []
        }
    }
}
