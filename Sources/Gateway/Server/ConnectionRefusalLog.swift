import Audit
import Logging
import ServiceLifecycle

/// Appends the refusals reported outside a request's own audit path: by ``RequestReadDeadline`` from the
/// event loops, where it cannot wait for the audit log, and by ``RequestCapacity`` for requests turned
/// away under overload.
///
/// It runs as a service next to the listeners and stops last, after them: refusals reported while the
/// listeners drain are still written. A refusal that cannot be written is logged (its kind only) and
/// dropped; there is no response left to withhold.
struct ConnectionRefusalLog: Service {
    let auditLog: AuditLog
    let logger: Logger
    private let events: AsyncStream<AuditEvent>
    private let continuation: AsyncStream<AuditEvent>.Continuation

    init(auditLog: AuditLog, logger: Logger) {
        self.auditLog = auditLog
        self.logger = logger
        // Bounded: a flood of malformed requests must not grow memory while the log catches up.
        (events, continuation) = AsyncStream.makeStream(of: AuditEvent.self, bufferingPolicy: .bufferingOldest(10_000))
    }

    /// Queues one refusal for the audit log; callable from any thread.
    var report: @Sendable (AuditEvent) -> Void {
        { [continuation] event in
            if case .dropped = continuation.yield(event) {}
        }
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            for await event in events {
                do {
                    try await auditLog.append(event)
                } catch {
                    logger.error("a refused connection could not be audited", metadata: ["error.type": "\(type(of: error))"])
                }
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
    }
}
