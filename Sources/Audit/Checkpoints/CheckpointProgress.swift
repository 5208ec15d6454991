import Synchronization

/// How far this process has hashed the log for checkpoints: the Merkle frontier (O(log n) subtree
/// hashes) and the chain head after the last event, shared by every copy of an ``AuditLog`` value.
///
/// Held in memory only, never stored: a frontier read back from the database would be one more
/// thing an intruder could edit, and then sign through the gateway's own key.
final class CheckpointProgress: Sendable {
    struct State: Sendable {
        var frontier: MerkleTree.Frontier
        var chainHead: [UInt8]
    }

    private let state = Mutex<State?>(nil)

    var current: State? { state.withLock { $0 } }

    /// Keeps `next` unless a concurrent checkpoint already got further.
    func advance(to next: State) {
        state.withLock { state in
            if (state?.frontier.count ?? -1) < next.frontier.count { state = next }
        }
    }
}
