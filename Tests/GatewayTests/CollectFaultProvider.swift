import Auth
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Testing

/// A misbehaving care provider on a loopback port, for the collect fault tests: mutual TLS trusting
/// the collecting gateway's CA, a token endpoint and a FHIR base that answer the BgZ queries as told.
/// Its patient is `remote-p`; every query but 1 (Patient) and 6 (Condition) answers an empty searchset.
enum CollectFaultProvider {
    enum Behaviour: Sendable {
        /// Tokens and answers as a provider should give them.
        case wellBehaved
        /// The token endpoint answers after `seconds`.
        case slowToken(seconds: Int)
        /// The token endpoint refuses with this RFC 6749 error code.
        case tokenError(String)
        /// The Condition query answers after `seconds`.
        case slowConditions(seconds: Int)
        /// The Condition query answers something that is not JSON.
        case malformedConditions
        /// The Condition query answers the patient's Condition and one of another patient.
        case conditionOfAnotherPatient
    }

    static let patient = "remote-p"

    /// A provider CA with a server certificate for `serverNames`.
    struct PKI: Sendable {
        let directory: String
        let ca: CertificateAuthority
        let server: IssuedCertificate

        init(serverNames: [String]) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-provider-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let now = Date()
            ca = try CertificateAuthority.makeRoot(commonName: "Faulty Provider CA", notValidBefore: now - 300, notValidAfter: now + 86_400)
            server = try ca.issue(
                LeafCertificateRequest(
                    commonName: serverNames[0], dnsNames: serverNames, ipAddresses: ["127.0.0.1"].filter { _ in serverNames.contains("localhost") },
                    usages: [.server], notValidBefore: now - 300, notValidAfter: now + 86_400))
            try ca.certificatePEM.write(toFile: caPath, atomically: true, encoding: .utf8)
        }

        var caPath: String { directory + "/ca.crt" }
    }

    /// Runs the provider for `body`, which gets its port. `clientCA`: the PEM file of the CA that
    /// issued the collecting gateway's client certificate.
    static func run(
        _ behaviour: Behaviour, pki: PKI, clientCA: String, _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let router = Router()
        router.post("/token") { _, _ in
            switch behaviour {
            case .slowToken(let seconds):
                try await Task.sleep(for: .seconds(seconds))
                return json(#"{"access_token":"at-1","token_type":"Bearer","expires_in":900,"refresh_token":"rt-1"}"#)
            case .tokenError(let code):
                return json(#"{"error":"\#(code)"}"#, status: .badRequest)
            default:
                return json(#"{"access_token":"at-1","token_type":"Bearer","expires_in":900,"refresh_token":"rt-1"}"#)
            }
        }
        router.get("/fhir/**") { request, _ in
            let type = request.uri.path.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            switch (type, behaviour) {
            case ("Patient", _):
                return searchset([#"{"resourceType":"Patient","id":"\#(patient)"}"#])
            case ("Condition", .slowConditions(let seconds)):
                try await Task.sleep(for: .seconds(seconds))
                return searchset([condition("cond-own", of: patient)])
            case ("Condition", .malformedConditions):
                return Response(status: .ok, headers: [.contentType: "application/fhir+json"], body: .init(byteBuffer: ByteBuffer(string: "{not json")))
            case ("Condition", .conditionOfAnotherPatient):
                return searchset([condition("cond-own", of: patient), condition("cond-other", of: "someone-else")])
            case ("Condition", _):
                return searchset([condition("cond-own", of: patient)])
            default:
                return searchset([])
            }
        }
        var tls = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(pki.server.chainPEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(pki.server.privateKeyPEM.utf8), format: .pem)),
            trustRoots: .certificates(try NIOSSLCertificate.fromPEMFile(clientCA)))
        tls.certificateVerification = .noHostnameVerification
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "faulty-provider")
        logger.logLevel = .critical
        let app = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let outcome = await Result.awaiting { try await body(port) }
            await group.triggerGracefulShutdown()
            tasks.cancelAll()
            try? await tasks.waitForAll()
            try outcome.get()
        }
    }

    static func condition(_ id: String, of patient: String) -> String {
        #"{"resourceType":"Condition","id":"\#(id)","subject":{"reference":"Patient/\#(patient)"},"code":{"text":"test"}}"#
    }

    static func searchset(_ resources: [String]) -> Response {
        let entries = resources.map { #"{"resource":\#($0),"search":{"mode":"match"}}"# }.joined(separator: ",")
        return Response(
            status: .ok, headers: [.contentType: "application/fhir+json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"resourceType":"Bundle","type":"searchset","total":\#(resources.count),"entry":[\#(entries)]}"#)))
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
