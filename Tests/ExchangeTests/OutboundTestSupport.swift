import Auth
import Exchange
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Testing

/// A provider's CA with a server and a client certificate, written to a temporary directory as the
/// PEM files an endpoint's settings point at.
struct OutboundTestPKI {
    let directory: URL
    let ca: CertificateAuthority
    let server: IssuedCertificate
    let client: IssuedCertificate

    /// `serverNames`: the dNSNames in the server certificate.
    init(serverNames: [String] = ["localhost"]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-outbound-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let now = Date()
        ca = try CertificateAuthority.makeRoot(commonName: "Provider Test CA", notValidBefore: now - 300, notValidAfter: now + 86_400)
        server = try ca.issue(
            LeafCertificateRequest(
                commonName: serverNames[0], dnsNames: serverNames, usages: [.server], notValidBefore: now - 300, notValidAfter: now + 86_400))
        client = try ca.issue(
            LeafCertificateRequest(
                commonName: "pgo.zorgnet.test", dnsNames: ["pgo.zorgnet.test"], usages: [.client], notValidBefore: now - 300,
                notValidAfter: now + 86_400))
        try write("ca.crt", ca.certificatePEM)
        try write("client.crt", client.certificatePEM)
        try write("client.key", client.privateKeyPEM, mode: 0o600)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String, mode: Int = 0o644) throws {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path(name))
    }

    /// Our client certificate, trusting `anchors` (default: this CA) for the server.
    func credentials(anchors: String = "ca.crt") -> OutboundCredentials {
        OutboundCredentials(clientCertificatePath: path("client.crt"), clientKeyPath: path("client.key"), trustAnchorsPath: path(anchors))
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// What the tiny provider saw of the last request.
actor SeenRequests {
    var headers: [String: String] = [:]
    var body = ""
    func record(_ headers: [String: String], _ body: String) {
        self.headers = headers
        self.body = body
    }
}

/// A tiny HTTPS provider on a loopback port: mutual TLS against `pki.ca`, a token endpoint, a FHIR
/// search and a slow route.
enum OutboundTestServer {
    static func run(
        pki: OutboundTestPKI, tls12Only cipherSuites: String? = nil, seen: SeenRequests = SeenRequests(),
        _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let router = Router()
        router.post("/token") { request, _ in
            var request = request
            let bytes = try await request.collectBody(upTo: 64 * 1024)
            await seen.record(Self.headers(request), String(buffer: bytes))
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"access_token":"at-1","token_type":"Bearer","expires_in":900,"refresh_token":"rt-1","scope":"zorgnet"}"#)))
        }
        router.get("/fhir/Patient") { request, _ in
            await seen.record(Self.headers(request), "")
            return Response(
                status: .ok, headers: [.contentType: "application/fhir+json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"resourceType":"Bundle","type":"searchset","total":0}"#)))
        }
        router.get("/fhir/Broken") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/fhir+json"], body: .init(byteBuffer: ByteBuffer(string: "{not json")))
        }
        router.get("/slow") { _, _ in
            try await Task.sleep(for: .seconds(5))
            return Response(status: .ok)
        }
        var tls = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(pki.server.chainPEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(pki.server.privateKeyPEM.utf8), format: .pem)),
            trustRoots: .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pki.ca.certificatePEM.utf8))))
        tls.certificateVerification = .noHostnameVerification
        if let cipherSuites {
            tls.maximumTLSVersion = .tlsv12
            tls.cipherSuites = cipherSuites
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "outbound-test-server")
        logger.logLevel = .critical
        let app = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let outcome = await Result(catching: { try await body(port) })
            await group.triggerGracefulShutdown()
            tasks.cancelAll()
            try? await tasks.waitForAll()
            try outcome.get()
        }
    }

    static func headers(_ request: Request) -> [String: String] {
        var map: [String: String] = [:]
        for field in request.headers { map[field.name.canonicalName.lowercased()] = field.value }
        return map
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
