import Foundation
import Testing

@testable import Store

@Suite("Party registry")
struct PartyRegistryTests {
    static func register(_ registry: PartyRegistry) async throws {
        try await registry.register(
            Party(partyID: "hospital", kind: .organization, displayName: "Ziekenhuis", ura: "90000123"),
            certificate: PartyCertificate(fingerprintSHA256: "aa", partyID: "hospital", subject: "CN=h", notValidAfter: "2030-01-01T00:00:00.000Z"))
        try await registry.register(
            Party(partyID: "pgo", kind: .app, displayName: "PGO", clientID: "pgo.example"),
            certificate: PartyCertificate(fingerprintSHA256: "bb", partyID: "pgo", subject: "CN=p", notValidAfter: "2030-01-01T00:00:00.000Z"))
    }

    @Test("a certificate maps to its party only when the URA or hostname it carries belongs to that party", arguments: [
        ("aa", "90000123", [String](), "hospital"),
        ("aa", "90000999", [], nil),
        ("aa", nil, [], nil),
        ("bb", nil, ["pgo.example"], "pgo"),
        ("bb", nil, ["other.example"], nil),
        ("cc", "90000123", [], nil),
    ] as [(String, String?, [String], String?)])
    func lookup(_ fingerprint: String, _ ura: String?, _ dnsNames: [String], _ expected: String?) async throws {
        let registry = PartyRegistry(database: try makeDatabase())
        try await Self.register(registry)
        let lookup = try await registry.lookup(fingerprint: fingerprint, ura: ura, dnsNames: dnsNames)
        if case .known(let party, _) = lookup {
            #expect(party.partyID == expected)
        } else {
            #expect(expected == nil)
        }
    }

    @Test("suspending a party or revoking its certificate refuses it on the next lookup")
    func suspension() async throws {
        let registry = PartyRegistry(database: try makeDatabase())
        try await Self.register(registry)
        try await registry.setStatus(partyID: "pgo", .suspended)
        guard case .refused = try await registry.lookup(fingerprint: "bb", ura: nil, dnsNames: ["pgo.example"]) else {
            Issue.record("a suspended party was accepted")
            return
        }
        try await registry.setCertificateStatus(fingerprint: "aa", .revoked)
        guard case .refused = try await registry.lookup(fingerprint: "aa", ura: "90000123", dnsNames: []) else {
            Issue.record("a revoked certificate was accepted")
            return
        }
    }
}

@Suite("Access token storage")
struct AccessTokenStoreTests {
    @Test("tokens are found by hash only and can be revoked")
    func storeAndRevoke() async throws {
        let database = try makeDatabase()
        let registry = PartyRegistry(database: database)
        try await PartyRegistryTests.register(registry)
        let store = AccessTokenStore(database: database)
        let hash = [UInt8](repeating: 7, count: 32)
        try await store.insert(
            AccessTokenRecord(tokenHash: hash, partyID: "pgo", certificateFingerprint: "bb", patientID: "p1", issuedAtMilliseconds: 1, expiresAtMilliseconds: 2))
        #expect(try await store.find(hash: hash)?.patientID == "p1")
        #expect(try await store.find(hash: [UInt8](repeating: 8, count: 32)) == nil)
        try await store.revoke(hash: hash)
        #expect(try await store.find(hash: hash)?.revoked == true)
    }
}
