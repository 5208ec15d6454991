import Logging
import ServiceLifecycle
import UnixSignals

/// Asks a running gateway to stop, the way SIGTERM or SIGINT does: for embedding and tests.
///
/// The first request stops both listeners accepting, lets in-flight requests finish (bounded by
/// ``GatewayServer/gracefulShutdownLimit``) and closes the databases; a second request stops waiting
/// and cancels whatever still runs. One trigger serves one ``GatewayServer/run(shutdown:onReady:)``.
///
/// ```swift
/// let shutdown = GatewayShutdown(trapsSignals: false)
/// async let stopped: Void = server.run(shutdown: shutdown)
/// shutdown.requestShutdown()
/// try await stopped   // returns once the databases are closed
/// ```
public struct GatewayShutdown: Sendable {
    let requests: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    /// Whether SIGTERM and SIGINT count as requests. Tests turn this off so that the test runner's
    /// own handling of Ctrl-C is left alone.
    public let trapsSignals: Bool

    public init(trapsSignals: Bool = true) {
        (requests, continuation) = AsyncStream.makeStream(of: Void.self)
        self.trapsSignals = trapsSignals
    }

    /// Starts a graceful shutdown; called again, escalates to cancellation. Returns at once.
    public func requestShutdown() {
        continuation.yield()
    }
}

/// Where a shutdown request came from, for the log.
enum ShutdownReason: Sendable, CustomStringConvertible {
    case signal(UnixSignal)
    case requested

    var description: String {
        switch self {
        case .signal(let signal): "signal \(signal)"
        case .requested: "shutdown requested"
        }
    }
}

/// Turns shutdown requests into actions on the service group: the first starts the graceful
/// shutdown, the second makes `run` cancel the group instead of waiting out the limit.
struct ShutdownSupervisor: Sendable {
    let group: ServiceGroup
    let logger: Logger

    /// Returns `true` when a second request asks to give up on graceful shutdown, and `false` when
    /// the requests end first (the gateway stopped by itself or `run` was cancelled).
    func supervise(_ requests: AsyncStream<ShutdownReason>) async -> Bool {
        var iterator = requests.makeAsyncIterator()
        guard let first = await iterator.next() else { return false }
        logger.info("shutting down: no new connections, waiting for requests in flight", metadata: ["reason": "\(first)"])
        await group.triggerGracefulShutdown()
        guard let second = await iterator.next() else { return false }
        logger.warning("shutting down now: cancelling requests still in flight", metadata: ["reason": "\(second)"])
        return true
    }
}
