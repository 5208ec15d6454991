import Audit
import Auth
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import Store

/// The addresses the two listeners are bound to (with the real port when port 0 was asked for).
public struct BoundAddresses: Sendable, Hashable {
    public var front: ListenAddress
    public var back: ListenAddress
}

/// Runs the gateway: opens the databases, starts both listeners, and on SIGINT/SIGTERM stops
/// accepting, lets in-flight requests finish, and closes the databases cleanly.
///
/// ```swift
/// let server = GatewayServer(configuration: configuration, logger: logger)
/// try await server.run { addresses in print("back listening on \(addresses.back)") }
/// ```
public struct GatewayServer: Sendable {
    public let configuration: GatewayConfiguration
    public let logger: Logger

    public init(configuration: GatewayConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until a shutdown signal arrives or the calling task is cancelled.
    public func run(onReady: @escaping @Sendable (BoundAddresses) async -> Void = { _ in }) async throws {
        try configuration.validate()
        let dataDirectory = DataDirectory(path: configuration.dataDirectory)
        try dataDirectory.create()
        let material = try TLSSetup.loadMaterial(ResolvedTLSFiles(configuration.tls, dataDirectory: dataDirectory.path))
        let database = try GatewayDatabase(path: dataDirectory.gatewayDatabasePath)
        let auditLog = try AuditLog(path: dataDirectory.auditDatabasePath)

        let services = GatewayServices(database: database, auditLog: auditLog, configuration: configuration)
        let readiness = Readiness(onReady: onReady)
        let front = Application(
            router: services.frontRouter(logger: logger),
            server: try .tls(.http1(), tlsConfiguration: TLSSetup.front(material)),
            configuration: .init(address: .hostname(configuration.front.host, port: configuration.front.port)),
            onServerRunning: { channel in await readiness.bound(front: channel.localAddress) },
            logger: logger)
        let back = Application(
            router: services.backRouter(logger: logger),
            server: try .tls(.http1(), tlsConfiguration: TLSSetup.back(material)),
            configuration: .init(address: .hostname(configuration.back.host, port: configuration.back.port)),
            onServerRunning: { channel in await readiness.bound(back: channel.localAddress) },
            logger: logger)

        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: front), .init(service: back)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger))
        do {
            try await group.run()
        } catch {
            try? database.close()
            try? auditLog.close()
            throw error
        }
        try database.close()
        try auditLog.close()
        logger.info("stopped; databases closed")
    }
}

/// Calls back once both listeners are bound.
actor Readiness {
    private var front: ListenAddress?
    private var back: ListenAddress?
    private let onReady: @Sendable (BoundAddresses) async -> Void

    init(onReady: @escaping @Sendable (BoundAddresses) async -> Void) {
        self.onReady = onReady
    }

    func bound(front address: SocketAddress?) async {
        front = address.flatMap(Self.listenAddress)
        await reportIfReady()
    }

    func bound(back address: SocketAddress?) async {
        back = address.flatMap(Self.listenAddress)
        await reportIfReady()
    }

    static func listenAddress(_ address: SocketAddress) -> ListenAddress? {
        guard let ip = address.ipAddress, let port = address.port else { return nil }
        return ListenAddress(host: ip, port: port)
    }

    private func reportIfReady() async {
        guard let front, let back else { return }
        await onReady(BoundAddresses(front: front, back: back))
    }
}
