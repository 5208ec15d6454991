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

    /// Expects the gateway to refuse the TLS connection with `alert`, and, as a control, the same probe
    /// with the demo PGO's good certificate to get an HTTP answer: a client that cannot do TLS at all
    /// would otherwise pass as "refused".
    static func expectRefused(_ gateway: RunningGateway, _ tls: TLSConfiguration, alert: String, port: Int? = nil) async throws {
        let port = port ?? gateway.addresses.back.port
        do {
            let status = try await TLSProbe.request(port: port, tls: tls)
            Issue.record("expected the handshake to be refused with \(alert), got HTTP \(status)")
        } catch {
            let refusal = TLSProbe.refusal(in: error)
            #expect(refusal?.contains(alert) == true, "expected a TLS refusal with \(alert), got \(error)")
        }
        #expect(try await TLSProbe.request(port: port, tls: try gateway.tls(as: .pgoDemo)) == 200, "control probe failed")
    }

    @Test("the back listener refuses the handshake without a client certificate")
    func handshakeWithoutCertificate() async throws {
        try await GatewayHarness.withGateway { gateway in
            try await Self.expectRefused(gateway, try gateway.tls(as: nil), alert: "CERTIFICATE_REQUIRED")
            let records = try await gateway.auditRecords()
            #expect(records.count == 1, "only the control request reached HTTP; a refused handshake never does")
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
            try await Self.expectRefused(gateway, try Self.clientTLS(gateway, leaf), alert: "UNKNOWN_CA")
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
            try await Self.expectRefused(gateway, try Self.clientTLS(gateway, leaf), alert: "CERTIFICATE_EXPIRED")
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
            #expect(records.first?.event.kind == .certificateRefused)
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

    @Test("a suspension or revocation after the certificate was already read counts on the next request",
          arguments: ["party", "certificate"])
    func suspendedOrRevokedAfterUse(_ what: String) async throws {
        try await GatewayHarness.withGateway { gateway in
            // Served first, so the certificate's identity and the registry's statements are cached.
            #expect(try await gateway.request(.GET, "/fhir/metadata").status == 200)
            #expect(try await gateway.request(.GET, "/fhir/metadata").status == 200)
            let registry = PartyRegistry(database: gateway.database)
            if what == "party" {
                try await registry.setStatus(partyID: "pgo-demo", .suspended)
            } else {
                let fingerprint = CertificateIdentity(try gateway.pki.certificate(.pgoDemo)).fingerprintSHA256
                try await registry.setCertificateStatus(fingerprint: fingerprint, .revoked)
            }
            #expect(try await gateway.request(.GET, "/fhir/metadata").status == 403)
        }
    }

    @Test("the certificate identity cache returns what parsing returns, and does not remember unreadable bytes")
    func certificateIdentityCache() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("identity-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pki = try DevPKI.initialize(dataDirectory: directory)
        let cache = CertificateIdentityCache()
        for party in [DevPKI.Party.pgoDemo, .hospitalDemo] {
            let der = try #require(try NIOSSLCertificate.fromPEMFile(pki.certificatePath(party)).first).toDERBytes()
            let parsed = try CertificateIdentity(derEncoded: der)
            #expect(try cache.identity(derEncoded: der) == parsed)
            #expect(try cache.identity(derEncoded: der) == parsed)
        }
        #expect(throws: CertificateIdentityError.self) { try cache.identity(derEncoded: [0x30, 0x03, 0x02, 0x01]) }
        #expect(throws: CertificateIdentityError.self) { try cache.identity(derEncoded: [0x30, 0x03, 0x02, 0x01]) }
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

            // The server key is ECDSA P-256, so ECDSA suites are the ones that could be agreed on:
            // the GCM one is the control, the CBC one must be refused by policy, not by key type.
            var goodCipher = tls12
            goodCipher.cipherSuites = "ECDHE-ECDSA-AES128-GCM-SHA256"
            #expect(try await TLSProbe.handshake(port: port, tls: goodCipher) == .tlsv12)

            for suite in [
                "AES128-GCM-SHA256",  // AEAD, but no ephemeral key exchange
                "ECDHE-ECDSA-AES128-SHA",  // forward secret, but CBC with SHA-1 MAC
            ] {
                var weakCipher = tls12
                weakCipher.cipherSuites = suite
                await Self.expectHandshakeRefused(port: port, tls: weakCipher, alert: "HANDSHAKE_FAILURE", what: suite)
            }

            var old = try gateway.tls(as: .pgoDemo)
            old.minimumTLSVersion = .tlsv1
            old.maximumTLSVersion = .tlsv11
            await Self.expectHandshakeRefused(port: port, tls: old, alert: "PROTOCOL_VERSION", what: "TLS 1.1")
        }
    }

    static func expectHandshakeRefused(port: Int, tls: TLSConfiguration, alert: String, what: String) async {
        do {
            let version = try await TLSProbe.handshake(port: port, tls: tls)
            Issue.record("\(what): expected a refusal with \(alert), negotiated \(String(describing: version))")
        } catch {
            #expect(TLSProbe.refusal(in: error)?.contains(alert) == true, "\(what): expected \(alert), got \(error)")
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
