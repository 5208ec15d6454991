import Auth
import Foundation
import NIOSSL
import Store
import Testing

@testable import Gateway

@Suite("Registering parties with real certificates")
struct PartyAdministrationTests {
    /// Issues a client certificate from the dev CA; returns its PEM file and a TLS configuration presenting it.
    static func issue(_ gateway: RunningGateway, name: String, ura: String? = nil) throws -> (String, TLSConfiguration) {
        let leaf = try gateway.pki.certificateAuthority().issue(
            LeafCertificateRequest(
                commonName: name, dnsNames: [name], ura: ura, usages: [.client],
                notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400)))
        let path = GatewayHarness.temporaryDirectory() + ".crt"
        try leaf.certificatePEM.write(toFile: path, atomically: true, encoding: .utf8)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(gateway.pki.caCertificatePath))
        tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(leaf.certificatePEM.utf8)).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(leaf.privateKeyPEM.utf8), format: .pem))
        return (path, tls)
    }

    @Test("a registered organisation connects until it is suspended; a certificate lacking the URA is refused registration")
    func organisation() async throws {
        try await GatewayHarness.withGateway { gateway in
            let administration = PartyAdministration(directory: gateway.dataDirectory)
            let (good, tls) = try Self.issue(gateway, name: "zkh-oost.example", ura: "90000456")
            #expect(try await gateway.request(.GET, "/fhir/metadata", tls: tls).status == 403)
            try await administration.register(
                certificateFile: good, partyID: "zkh-oost", kind: .organization, name: "Ziekenhuis Oost", ura: "90000456", clientID: nil)
            await #expect(throws: PartyAdministration.Refusal.certificateDoesNotCarry("URA 90000999")) {
                try await administration.register(
                    certificateFile: good, partyID: "zkh-west", kind: .organization, name: "West", ura: "90000999", clientID: nil)
            }
            #expect(try await gateway.request(.GET, "/fhir/metadata", tls: tls).status == 200)
            try await administration.setStatus(partyID: "zkh-oost", .suspended)
            #expect(try await gateway.request(.GET, "/fhir/metadata", tls: tls).status == 403)
            let actions = try await gateway.auditRecords().filter { $0.event.channel == .cli }.map(\.event.path)
            #expect(actions == ["party register", "party suspended"])
        }
    }

    @Test("re-registering never reactivates a suspended party, and a certificate never moves to another party")
    func registrationKeepsStatus() async throws {
        let database = try GatewayDatabase(path: GatewayHarness.temporaryDirectory() + ".sqlite")
        let registry = PartyRegistry(database: database)
        let party = Party(partyID: "pgo", kind: .app, displayName: "PGO", clientID: "pgo.example")
        let certificate = PartyCertificate(fingerprintSHA256: "aa", partyID: "pgo", subject: "CN=pgo", notValidAfter: "2030-01-01T00:00:00.000Z")
        try await registry.register(party, certificate: certificate)
        try await registry.setStatus(partyID: "pgo", .suspended)
        try await registry.setCertificateStatus(fingerprint: "aa", .revoked)
        try await registry.register(party, certificate: certificate)
        #expect(try await registry.party(id: "pgo")?.status == .suspended)
        #expect(try await registry.certificates(partyID: "pgo").first?.status == .revoked)
        await #expect(throws: RegistrationError.certificateBelongsToAnotherParty(fingerprint: "aa", partyID: "pgo")) {
            try await registry.register(
                Party(partyID: "other", kind: .app, displayName: "Other", clientID: "other.example"), certificate: certificate)
        }
        await #expect(throws: RegistrationError.unknownParty("nobody")) { try await registry.setStatus(partyID: "nobody", .active) }
    }
}
