import AsyncHTTPClient
import Audit
import Auth
import Consent
import FHIR
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Store
import Testing

@_spi(Benchmarking) @testable import Gateway

/// A real gateway on ephemeral loopback ports with a fresh data directory and dev PKI, for one test.
struct RunningGateway: Sendable {
    let addresses: BoundAddresses
    let dataDirectory: DataDirectory
    let pki: DevPKI
    let database: GatewayDatabase
    /// `audit.sqlite` opened read-only, once: tests inspect the log without writing or migrating it.
    let auditReader: AuditLog
    let client: HTTPClient
    let logs: CapturedLogs

    var backURL: String { "https://127.0.0.1:\(addresses.back.port)" }
    var frontURL: String { "https://127.0.0.1:\(addresses.front.port)" }

    struct Reply: Sendable {
        let status: Int
        let headers: [String: String]
        let body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }

        func json() throws -> FHIRValue { try FHIRJSON.parse(body) }

        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// A TLS client configuration presenting the given dev party's certificate (or none).
    func tls(as party: DevPKI.Party?) throws -> TLSConfiguration {
        try GatewayHarness.clientTLS(pki: pki, as: party)
    }

    func request(
        _ method: HTTPMethod = .GET, _ path: String, as party: DevPKI.Party? = .pgoDemo, token: String? = nil,
        headers: [(String, String)] = [], body: [UInt8]? = nil, tls: TLSConfiguration? = nil, front: Bool = false
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: (front ? frontURL : backURL) + path)
        request.method = method
        request.tlsConfiguration = try tls ?? self.tls(as: party)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
        var headerMap = [String: String]()
        for header in response.headers { headerMap[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: headerMap, body: Array(collected.readableBytesView))
    }

    /// Issues a token for the demo PGO app, bound to its certificate, for one patient. Data is served
    /// only with the patient's consent, so first `consent` is recorded for the app (by default: collect
    /// everything, until revoked; `.none` records nothing).
    func token(
        patient: String, lifetime: Duration = .seconds(900), party: DevPKI.Party = .pgoDemo, partyID: String = "pgo-demo",
        consent: TestConsent = .everything
    ) async throws -> String {
        switch consent {
        case .everything: try await grantConsent(patient: patient, categories: [.everything], partyID: partyID)
        case .categories(let categories): try await grantConsent(patient: patient, categories: categories, partyID: partyID)
        case .none: break
        }
        let identity = CertificateIdentity(try pki.certificate(party))
        return try await TokenService(store: AccessTokenStore(database: database))
            .issue(partyID: partyID, certificateFingerprint: identity.fingerprintSHA256, patientID: patient, lifetime: lifetime).token
    }

    /// Records a consent of `patient` permitting the app registered as `partyID` to collect `categories`,
    /// as the OAuth consent screen does, and returns it (to revoke or change it later).
    @discardableResult
    func grantConsent(
        patient: String, categories: [DataCategory], partyID: String = "pgo-demo", id: String = UUID().uuidString.lowercased(),
        dataPeriod: ConsentPeriod? = nil
    ) async throws -> ConsentRecord {
        let party = try await PartyRegistry(database: database).party(id: partyID)
        let clientID = try #require(party?.clientID, "\(partyID) has no client id")
        let consent = ConsentRecord(
            id: id, patientID: patient, recordedAt: Date(), validity: ConsentPeriod(start: Date(timeIntervalSinceNow: -60)),
            root: Provision(.permit, actors: [.pgoApp(clientID)], actions: [.collect], categories: categories, dataPeriod: dataPeriod))
        try await ConsentRepository(database: database).record(consent)
        return consent
    }

    /// Records a new version of a consent, such as `consent.revoked(at: Date())`.
    func recordConsent(_ consent: ConsentRecord) async throws {
        try await ConsentRepository(database: database).record(consent)
    }

    /// Every audit record so far, through the one read-only connection the harness keeps open.
    func auditRecords() async throws -> [AuditRecord] {
        try await auditReader.records(limit: 100_000)
    }
}

/// The consent ``RunningGateway/token(patient:lifetime:party:partyID:consent:)`` records before it
/// issues the token.
enum TestConsent: Sendable {
    /// Collect everything, until revoked: what a patient gives on the consent screen when choosing all.
    case everything
    /// Collect only these categories.
    case categories([DataCategory])
    /// No consent at all: deny by default.
    case none
}

/// A data directory made ready for a gateway, and the configuration to run one on it.
struct PreparedGateway: Sendable {
    let directory: DataDirectory
    let configuration: GatewayConfiguration
    let logs: CapturedLogs

    var logger: Logger {
        let logs = self.logs
        return Logger(label: "zorgnet-test") { _ in CapturingLogHandler(logs: logs) }
    }

    /// A TLS client configuration for the prepared dev PKI, as ``RunningGateway/tls(as:)``.
    func tls(as party: DevPKI.Party?) throws -> TLSConfiguration {
        try GatewayHarness.clientTLS(pki: DevPKI.load(dataDirectory: directory.path), as: party)
    }

    func server(
        gracefulShutdownLimit: Duration = GatewayServer.defaultGracefulShutdownLimit, substitutes: MeasurementSubstitutes = .none
    ) -> GatewayServer {
        GatewayServer(configuration: configuration, logger: logger, gracefulShutdownLimit: gracefulShutdownLimit, substitutes: substitutes)
    }
}

enum GatewayHarness {
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-test-\(UUID().uuidString)").path
    }

    static func clientTLS(pki: DevPKI, as party: DevPKI.Party?) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(pki.caCertificatePath))
        if let party {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(pki.certificatePath(party)).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: pki.privateKeyPath(party), format: .pem))
        }
        return configuration
    }

    /// Creates the data directory with a dev PKI and registered parties, and lets `seed` add data.
    static func prepare(
        dataPath: String = temporaryDirectory(),
        maxBodySize: Int = GatewayConfiguration.defaultMaxBodySize,
        configure: (inout GatewayConfiguration) -> Void = { _ in },
        seed: @Sendable (GatewayDatabase) async throws -> Void = { _ in }
    ) async throws -> PreparedGateway {
        let directory = DataDirectory(path: dataPath)
        try directory.create()
        let setupDatabase = try GatewayDatabase(path: directory.gatewayDatabasePath)
        do {
            try await GatewaySetup(directory: directory).initializePKI(database: setupDatabase)
            try await seed(setupDatabase)
        } catch {
            try? setupDatabase.close()
            throw error
        }
        try setupDatabase.close()
        var configuration = GatewayConfiguration(
            dataDirectory: dataPath, front: ListenAddress(host: "127.0.0.1", port: 0), back: ListenAddress(host: "127.0.0.1", port: 0),
            maxBodySize: maxBodySize, defaultSearchCount: 50)
        configure(&configuration)
        return PreparedGateway(directory: directory, configuration: configuration, logs: CapturedLogs())
    }

    /// Prepares a data directory (dev PKI + registered parties), lets `seed` add data, starts the
    /// gateway on ephemeral ports, runs `body`, and shuts the gateway down gracefully. Throws the
    /// server's error if it stops before it is ready, and any error the shutdown reports.
    static func withGateway(
        dataPath: String = temporaryDirectory(),
        maxBodySize: Int = GatewayConfiguration.defaultMaxBodySize,
        configure: (inout GatewayConfiguration) -> Void = { _ in },
        seed: @Sendable (GatewayDatabase) async throws -> Void = { _ in },
        substitutes: MeasurementSubstitutes = .none,
        _ body: @Sendable (RunningGateway) async throws -> Void
    ) async throws {
        let prepared = try await prepare(dataPath: dataPath, maxBodySize: maxBodySize, configure: configure, seed: seed)
        let server = prepared.server(substitutes: substitutes)
        // The test runner keeps its own Ctrl-C handling; shutdown comes through the trigger.
        let shutdown = GatewayShutdown(trapsSignals: false)
        let (ready, readyContinuation) = AsyncStream.makeStream(of: BoundAddresses.self)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Ending the stream when the server stops is what lets a failed start surface
                // instead of leaving the harness waiting for addresses forever.
                defer { readyContinuation.finish() }
                try await server.run(shutdown: shutdown) { addresses in readyContinuation.yield(addresses) }
            }
            var iterator = ready.makeAsyncIterator()
            guard let addresses = await iterator.next() else {
                try await group.waitForAll()
                throw HarnessError.serverStoppedBeforeReady
            }
            let running: RunningGateway
            do {
                running = try RunningGateway(
                    addresses: addresses, dataDirectory: prepared.directory, pki: DevPKI.load(dataDirectory: dataPath),
                    database: GatewayDatabase(path: prepared.directory.gatewayDatabasePath),
                    auditReader: AuditLog(readingAt: prepared.directory.auditDatabasePath),
                    client: HTTPClient(eventLoopGroupProvider: .singleton), logs: prepared.logs)
            } catch {
                shutdown.requestShutdown()
                try? await group.waitForAll()
                throw error
            }
            let outcome = await Result.awaiting { try await body(running) }
            // Own connections first, so the gateway's close can checkpoint and remove the WAL files.
            let released = await Result.awaiting { try await running.release() }
            shutdown.requestShutdown()
            let stopped = await Result.awaiting { try await group.waitForAll() }
            try outcome.get()
            try stopped.get()
            try released.get()
        }
    }

    enum HarnessError: Error {
        case serverStoppedBeforeReady
    }
}

extension RunningGateway {
    /// Closes the client and the test's own database connections.
    func release() async throws {
        let clientShutdown = await Result.awaiting { try await client.shutdown() }
        let auditClose = Result { try auditReader.close() }
        try database.close()
        try auditClose.get()
        try clientShutdown.get()
    }
}

extension Result where Failure == any Error {
    /// The outcome of an async throwing call, so teardown can run every step before reporting.
    static func awaiting(_ body: () async throws -> Success) async -> Self {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }
}
