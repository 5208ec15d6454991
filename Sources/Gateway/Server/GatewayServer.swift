import Audit
import HummingbirdCore
import Auth
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import Store
import UnixSignals

/// Runs the gateway: opens the databases, starts both listeners, and on SIGINT/SIGTERM (or a
/// ``GatewayShutdown`` request) stops accepting, lets in-flight requests finish, and closes the
/// databases cleanly. A second signal, or ``gracefulShutdownLimit`` passing, cancels what still runs.
///
/// ```swift
/// let server = GatewayServer(configuration: configuration, logger: logger)
/// try await server.run { addresses in print("back listening on \(addresses.back)") }
/// ```
public struct GatewayServer: Sendable {
    public static let defaultGracefulShutdownLimit = Duration.seconds(30)

    public let configuration: GatewayConfiguration
    public let logger: Logger
    /// How long a graceful shutdown may wait for requests in flight before cancelling them: long
    /// enough for any honest request, short enough that a slowloris client cannot stall a deploy.
    public let gracefulShutdownLimit: Duration
    let substitutes: MeasurementSubstitutes

    public init(
        configuration: GatewayConfiguration, logger: Logger, gracefulShutdownLimit: Duration = Self.defaultGracefulShutdownLimit
    ) {
        self.init(configuration: configuration, logger: logger, gracefulShutdownLimit: gracefulShutdownLimit, substitutes: .none)
    }

    /// The gateway with parts of its read path replaced, for the overhead benchmark only.
    @_spi(Benchmarking)
    public init(
        configuration: GatewayConfiguration, logger: Logger, gracefulShutdownLimit: Duration = Self.defaultGracefulShutdownLimit,
        substitutes: MeasurementSubstitutes
    ) {
        self.configuration = configuration
        self.logger = logger
        self.gracefulShutdownLimit = gracefulShutdownLimit
        self.substitutes = substitutes
    }

    /// Runs until shut down through `shutdown` (SIGTERM/SIGINT by default) or until the calling task
    /// is cancelled. The databases are closed on every path out, including failed startup.
    public func run(
        shutdown: GatewayShutdown = GatewayShutdown(), onReady: @escaping @Sendable (BoundAddresses) async -> Void = { _ in }
    ) async throws {
        try configuration.validate()
        let dataDirectory = DataDirectory(path: configuration.dataDirectory)
        try dataDirectory.create()
        let material = try TLSSetup.loadMaterial(ResolvedTLSFiles(configuration.tls, dataDirectory: dataDirectory.path))
        let database = try GatewayDatabase(path: dataDirectory.gatewayDatabasePath)
        let auditLog: AuditLog
        do {
            auditLog = try AuditLog(path: dataDirectory.auditDatabasePath)
        } catch {
            try? database.close()
            throw error
        }
        do {
            try await serve(database: database, auditLog: auditLog, material: material, shutdown: shutdown, onReady: onReady)
        } catch {
            try? Self.close(database, auditLog)
            throw error
        }
        try Self.close(database, auditLog)
        logger.info("stopped; databases closed")
    }

    /// Closes both databases even when the first refuses, and reports the first failure.
    private static func close(_ database: GatewayDatabase, _ auditLog: AuditLog) throws {
        var failure: (any Error)?
        do { try auditLog.close() } catch { failure = error }
        do { try database.close() } catch { failure = failure ?? error }
        if let failure { throw failure }
    }

    private func serve(
        database: GatewayDatabase, auditLog: AuditLog, material: TLSSetup.Material, shutdown: GatewayShutdown,
        onReady: @escaping @Sendable (BoundAddresses) async -> Void
    ) async throws {
        let services = try GatewayServices(
            database: database, auditLog: auditLog, configuration: configuration, substitutes: substitutes)
        let readiness = Readiness(onReady: onReady)
        // The idle timeout also covers a connection that never completes its TLS handshake: the
        // timer starts when the connection becomes active.
        let idleTimeout = TimeAmount.nanoseconds(Int64(configuration.idleTimeoutSeconds * 1_000_000_000))
        let readLimit = TimeAmount.nanoseconds(Int64(configuration.requestReadTimeoutSeconds * 1_000_000_000))
        let refusals = ConnectionRefusalLog(auditLog: auditLog, logger: logger)
        let report = refusals.report
        func http1(_ channel: AuditEvent.Channel) -> HTTP1Channel.Configuration {
            .init(additionalChannelHandlers: [RequestReadDeadline(limit: readLimit, channel: channel, report: report)], idleTimeout: idleTimeout)
        }
        let front = Application(
            router: services.frontRouter(
                logger: logger, capacity: RequestCapacity(limit: configuration.maxConcurrentRequests, channel: .front, report: report)),
            server: try .tls(.http1(configuration: http1(.front)), tlsConfiguration: TLSSetup.front(material)),
            configuration: .init(address: .hostname(configuration.front.host, port: configuration.front.port)),
            onServerRunning: { channel in await readiness.bound(front: channel.localAddress) },
            logger: logger)
        let back = Application(
            router: services.backRouter(
                logger: logger, capacity: RequestCapacity(limit: configuration.maxConcurrentRequests, channel: .back, report: report)),
            server: try .tls(.http1(configuration: http1(.back)), tlsConfiguration: TLSSetup.back(material)),
            configuration: .init(address: .hostname(configuration.back.host, port: configuration.back.port)),
            onServerRunning: { channel in await readiness.bound(back: channel.localAddress) },
            logger: logger)

        let checkpointing = AuditCheckpointing(
            auditLog: auditLog,
            key: try AuditSigningKey.loadOrCreate(keyFile: DataDirectory(path: configuration.dataDirectory).auditSigningKeyPath),
            interval: .seconds(configuration.auditCheckpointIntervalSeconds),
            retention: .seconds(configuration.auditRetentionDays * 86_400), logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(
            // Shut down in reverse order: the listeners first, the refusal log last, so it still writes
            // what the listeners report while they drain.
            services: [.init(service: refusals), .init(service: checkpointing), .init(service: Listeners(front: front, back: back))],
            logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = gracefulShutdownLimit
        let group = ServiceGroup(configuration: groupConfiguration)
        try await run(group, shutdown: shutdown)
        // Every request has been answered (and audited) by now: sign over all of it.
        await checkpointing.checkpoint()
    }

    private enum Outcome: Sendable {
        case stopped
        case escalated
        case requestsEnded
    }

    /// Runs the group next to the shutdown supervisor. Signals are handled here rather than by the
    /// group because a group only listens for the first one; the second must escalate.
    private func run(_ group: ServiceGroup, shutdown: GatewayShutdown) async throws {
        // Registered before the listeners start, so an early signal is not lost (or fatal).
        let signals = await UnixSignalsSequence(trapping: shutdown.trapsSignals ? [.sigterm, .sigint] : [])
        let (requests, requestsContinuation) = AsyncStream.makeStream(of: ShutdownReason.self)
        let supervisor = ShutdownSupervisor(group: group, logger: logger)
        try await withThrowingTaskGroup(of: Outcome.self) { tasks in
            tasks.addTask {
                try await group.run()
                return .stopped
            }
            tasks.addTask {
                for await signal in signals { requestsContinuation.yield(.signal(signal)) }
                return .requestsEnded
            }
            tasks.addTask {
                for await _ in shutdown.requests { requestsContinuation.yield(.requested) }
                return .requestsEnded
            }
            tasks.addTask {
                await supervisor.supervise(requests) ? .escalated : .requestsEnded
            }
            do {
                while let outcome = try await tasks.next() {
                    switch outcome {
                    case .stopped:
                        // The listeners are done; stop listening for requests so the group can end.
                        requestsContinuation.finish()
                        tasks.cancelAll()
                    case .escalated:
                        // Cancelling the group's task cancels every connection still being served.
                        tasks.cancelAll()
                    case .requestsEnded:
                        continue
                    }
                }
            } catch is CancellationError {
                // Only an escalated shutdown cancels the group; that is a shutdown, not a failure.
                requestsContinuation.finish()
            } catch {
                requestsContinuation.finish()
                tasks.cancelAll()
                throw error
            }
        }
    }
}

/// Both listeners as one service, so a graceful shutdown reaches them at the same moment (a service
/// group drains its services one after the other, which would keep the front accepting meanwhile).
struct Listeners: Service {
    let front: any Service
    let back: any Service

    func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await front.run() }
            group.addTask { try await back.run() }
        }
    }
}
