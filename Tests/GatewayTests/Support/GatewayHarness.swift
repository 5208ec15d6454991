import AsyncHTTPClient
import Audit
import Auth
import FHIR
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Store
import Testing

@testable import Gateway

/// A real gateway on ephemeral loopback ports with a fresh data directory and dev PKI, for one test.
struct RunningGateway: Sendable {
    let addresses: BoundAddresses
    let dataDirectory: DataDirectory
    let pki: DevPKI
    let database: GatewayDatabase
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
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(pki.caCertificatePath))
        if let party {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(pki.certificatePath(party)).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: pki.privateKeyPath(party), format: .pem))
        }
        return configuration
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

    /// Issues a token for the demo PGO app, bound to its certificate, for one patient.
    func token(patient: String, lifetime: Duration = .seconds(900), party: DevPKI.Party = .pgoDemo, partyID: String = "pgo-demo")
        async throws -> String
    {
        let identity = CertificateIdentity(try pki.certificate(party))
        return try await TokenService(store: AccessTokenStore(database: database))
            .issue(partyID: partyID, certificateFingerprint: identity.fingerprintSHA256, patientID: patient, lifetime: lifetime).token
    }

    func auditRecords() async throws -> [AuditRecord] {
        let log = try AuditLog(path: dataDirectory.auditDatabasePath)
        return try await log.records(limit: 100_000)
    }
}

enum GatewayHarness {
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-test-\(UUID().uuidString)").path
    }

    /// Prepares a data directory (dev PKI + registered parties), lets `seed` add data, starts the
    /// gateway on ephemeral ports, runs `body`, and shuts the gateway down.
    static func withGateway(
        dataPath: String = temporaryDirectory(),
        maxBodySize: Int = GatewayConfiguration.defaultMaxBodySize,
        seed: @Sendable (GatewayDatabase) async throws -> Void = { _ in },
        _ body: @Sendable (RunningGateway) async throws -> Void
    ) async throws {
        let directory = DataDirectory(path: dataPath)
        try directory.create()
        let setupDatabase = try GatewayDatabase(path: directory.gatewayDatabasePath)
        try await GatewaySetup(directory: directory).initializePKI(database: setupDatabase)
        try await seed(setupDatabase)
        try setupDatabase.close()

        let logs = CapturedLogs()
        let logger = Logger(label: "zorgnet-test") { _ in CapturingLogHandler(logs: logs) }
        let configuration = GatewayConfiguration(
            dataDirectory: dataPath, front: ListenAddress(host: "127.0.0.1", port: 0), back: ListenAddress(host: "127.0.0.1", port: 0),
            maxBodySize: maxBodySize, defaultSearchCount: 50)
        let server = GatewayServer(configuration: configuration, logger: logger)
        let (ready, readyContinuation) = AsyncStream.makeStream(of: BoundAddresses.self)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.run { addresses in readyContinuation.yield(addresses) }
            }
            var iterator = ready.makeAsyncIterator()
            guard let addresses = await iterator.next() else { throw HarnessError.serverDidNotStart }
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
            let running = RunningGateway(
                addresses: addresses, dataDirectory: directory, pki: try DevPKI.load(dataDirectory: dataPath),
                database: database, client: client, logs: logs)
            do {
                try await body(running)
            } catch {
                try? await client.shutdown()
                group.cancelAll()
                throw error
            }
            try await client.shutdown()
            group.cancelAll()
        }
    }

    enum HarnessError: Error {
        case serverDidNotStart
    }
}
