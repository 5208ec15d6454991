import AsyncHTTPClient
import Auth
import Foundation
import NIOSSL
import Store
import Testing

@testable import Gateway

@Suite("Listeners and client certificates")
struct TLSListenerTests {
    @Test("the back listener answers the CapabilityStatement to a registered client without a token")
    func metadataWithRegisteredClient() async throws {
        try await GatewayHarness.withGateway { gateway in
            let reply = try await gateway.request(.GET, "/fhir/metadata")
            #expect(reply.status == 200)
            #expect(reply.header("content-type")?.hasPrefix("application/fhir+json") == true)
            let statement = try reply.json()
            #expect(statement["resourceType"]?.stringValue == "CapabilityStatement")
            #expect(statement["fhirVersion"]?.stringValue == "3.0.2")
        }
    }

    @Test("the back listener refuses the handshake without a client certificate")
    func handshakeWithoutCertificate() async throws {
        try await GatewayHarness.withGateway { gateway in
            await #expect(throws: (any Error).self) {
                _ = try await gateway.request(.GET, "/fhir/metadata", as: nil)
            }
            let records = try await gateway.auditRecords()
            #expect(records.isEmpty, "a refused handshake never reaches HTTP")
        }
    }

    @Test("the back listener refuses a certificate from another CA")
    func handshakeWithForeignCA() async throws {
        try await GatewayHarness.withGateway { gateway in
            let foreign = try CertificateAuthority.makeRoot(
                commonName: "Someone Else's CA", notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400))
            let leaf = try foreign.issue(
                LeafCertificateRequest(
                    commonName: DevPKI.pgoDemoClientID, dnsNames: [DevPKI.pgoDemoClientID], usages: [.client],
                    notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400)))
            await #expect(throws: (any Error).self) {
                _ = try await gateway.request(.GET, "/fhir/metadata", tls: try Self.clientTLS(gateway, leaf))
            }
        }
    }

    @Test("the back listener refuses an expired certificate even when it chains to the dev CA")
    func handshakeWithExpiredCertificate() async throws {
        try await GatewayHarness.withGateway { gateway in
            let authority = try gateway.pki.certificateAuthority()
            let leaf = try authority.issue(
                LeafCertificateRequest(
                    commonName: "expired.zorgnet.test", dnsNames: ["expired.zorgnet.test"], usages: [.client],
                    notValidBefore: Date().addingTimeInterval(-86_400 * 10), notValidAfter: Date().addingTimeInterval(-86_400)))
            await #expect(throws: (any Error).self) {
                _ = try await gateway.request(.GET, "/fhir/metadata", tls: try Self.clientTLS(gateway, leaf))
            }
        }
    }

    @Test("a valid certificate that is not registered gets 403 and the refusal is logged")
    func unregisteredCertificate() async throws {
        try await GatewayHarness.withGateway { gateway in
            let authority = try gateway.pki.certificateAuthority()
            let leaf = try authority.issue(
                LeafCertificateRequest(
                    commonName: "stranger.zorgnet.test", dnsNames: ["stranger.zorgnet.test"], usages: [.client],
                    notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400)))
            let reply = try await gateway.request(.GET, "/fhir/metadata", tls: try Self.clientTLS(gateway, leaf))
            #expect(reply.status == 403)
            #expect(try reply.json()["resourceType"]?.stringValue == "OperationOutcome")
            let records = try await gateway.auditRecords()
            #expect(records.count == 1)
            #expect(records.first?.event.status == 403)
            #expect(records.first?.event.certificateFingerprint == CertificateIdentity(leaf.certificate).fingerprintSHA256)
        }
    }

    @Test("a suspended party and a revoked certificate get 403", arguments: ["party", "certificate"])
    func suspendedOrRevoked(_ what: String) async throws {
        try await GatewayHarness.withGateway { gateway in
            let registry = PartyRegistry(database: gateway.database)
            if what == "party" {
                try await registry.setStatus(partyID: "pgo-demo", .suspended)
            } else {
                let fingerprint = CertificateIdentity(try gateway.pki.certificate(.pgoDemo)).fingerprintSHA256
                try await registry.setCertificateStatus(fingerprint: fingerprint, .revoked)
            }
            let reply = try await gateway.request(.GET, "/fhir/metadata")
            #expect(reply.status == 403)
            #expect(try await gateway.auditRecords().last?.event.detail?.contains(what == "party" ? "suspended" : "revoked") == true)
        }
    }

    @Test("the front listener serves TLS without a client certificate")
    func frontWithoutClientCertificate() async throws {
        try await GatewayHarness.withGateway { gateway in
            let reply = try await gateway.request(.GET, "/", as: nil, front: true)
            #expect(reply.status == 200)
            #expect(reply.text.contains("Zorgnet Gateway"))
            #expect(try await gateway.auditRecords().last?.event.channel == .front)
        }
    }

    @Test("TLS 1.3 is negotiated by default, TLS 1.2 only with forward-secret AEAD suites, and nothing older")
    func protocolVersions() async throws {
        try await GatewayHarness.withGateway { gateway in
            let port = gateway.addresses.back.port
            #expect(try await TLSProbe.handshake(port: port, tls: try gateway.tls(as: .pgoDemo)) == .tlsv13)

            var tls12 = try gateway.tls(as: .pgoDemo)
            tls12.maximumTLSVersion = .tlsv12
            #expect(try await TLSProbe.handshake(port: port, tls: tls12) == .tlsv12)

            var weakCipher = tls12
            weakCipher.cipherSuites = "AES128-GCM-SHA256"  // AEAD, but no ephemeral key exchange
            await #expect(throws: (any Error).self) { try await TLSProbe.handshake(port: port, tls: weakCipher) }

            var old = try gateway.tls(as: .pgoDemo)
            old.minimumTLSVersion = .tlsv1
            old.maximumTLSVersion = .tlsv11
            await #expect(throws: (any Error).self) { try await TLSProbe.handshake(port: port, tls: old) }
        }
    }

    static func clientTLS(_ gateway: RunningGateway, _ leaf: IssuedCertificate) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(gateway.pki.caCertificatePath))
        configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(leaf.certificatePEM.utf8)).map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(leaf.privateKeyPEM.utf8), format: .pem))
        return configuration
    }
}
