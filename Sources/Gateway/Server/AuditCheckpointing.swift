import Audit
import Foundation
import Logging
import ServiceLifecycle

/// Signs a checkpoint of the audit log every ``interval`` while the gateway runs
/// (``AuditLog/makeCheckpoint(signedWith:at:)``) and then prunes what is past ``retention``;
/// ``GatewayServer`` signs one more after the listeners have stopped, so the last events of a run are
/// covered too.
///
/// A failed checkpoint is logged and tried again at the next interval: the events themselves are
/// already committed and chained, and a checkpoint only adds evidence over them.
struct AuditCheckpointing: Service {
    let auditLog: AuditLog
    let key: AuditSigningKey
    let interval: Duration
    /// Events older than this go, in whole checkpoint ranges, after each checkpoint.
    let retention: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            await checkpoint()
        }
    }

    func checkpoint() async {
        do {
            let checkpoint = try await auditLog.makeCheckpoint(signedWith: key)
            logger.debug("audit checkpoint signed", metadata: ["size": "\(checkpoint.size)"])
            if let pruned = try await auditLog.prune(olderThan: retention, signedWith: key) {
                logger.info("audit events past retention pruned", metadata: ["through": "\(pruned.through)", "cutoff": "\(pruned.cutoff)"])
            }
        } catch {
            logger.error("audit checkpoint failed", metadata: ["error": "\(error)"])
        }
    }
}
