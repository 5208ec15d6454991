import Exchange
import Foundation
import Store
import Testing

@testable import Gateway

@Suite("MedMij lists administered from the command line: validated, persisted, audited, driving app access")
struct ListAdministrationTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func fixture(_ kind: MedMijListKind) -> String {
        repositoryRoot.appendingPathComponent("Fixtures/medmij/\(kind.listFileName)").path
    }

    static func administration(_ gateway: RunningGateway) -> ListAdministration {
        ListAdministration(
            directory: gateway.dataDirectory, schemaDirectory: repositoryRoot.appendingPathComponent("Schemas/medmij").path)
    }

    static let fixtureFingerprint = "3f1a9c2e4b5d6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"

    /// The demo app's registered certificate fingerprint.
    static func demoFingerprint(_ gateway: RunningGateway) async throws -> String {
        try #require(try await PartyRegistry(database: gateway.database).certificates(partyID: "pgo-demo").first).fingerprintSHA256
    }

    /// The fixture OCL, listing the demo app with its real certificate fingerprint.
    static func oclListing(_ fingerprint: String) throws -> String {
        let path = GatewayHarness.temporaryDirectory() + "-ocl.xml"
        try String(contentsOfFile: fixture(.oauthClientList), encoding: .utf8)
            .replacingOccurrences(of: fixtureFingerprint, with: fingerprint)
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("Suspending a PGO app on the OCL shuts its connections out from the next request on")
    func oclStatusDrivesAppAccess() async throws {
        try await GatewayHarness.withGateway { gateway in
            let lists = Self.administration(gateway)
            let ocl = try Self.oclListing(try await Self.demoFingerprint(gateway))
            #expect(try await lists.load(.oauthClientList, file: ocl) == .accepted(sequenceNumber: 7, replacing: nil))
            #expect(try await gateway.request(.GET, "/fhir/metadata").status == 200)

            try await lists.setClientStatus(hostname: "pgo-demo.zorgnet.test", .suspended)
            #expect(try await gateway.request(.GET, "/fhir/metadata").status == 403)

            try await lists.setClientStatus(hostname: "pgo-demo.zorgnet.test", .active)
            #expect(try await gateway.request(.GET, "/fhir/metadata").status == 200)

            let (inForce, publications) = try await lists.show(.oauthClientList)
            #expect(inForce?.sequenceNumber == 9)
            #expect(publications.map(\.source) == ["file", "edit", "edit"])
        }
    }

    @Test("An app missing from the OCL in force is suspended")
    func appMissingFromTheListIsSuspended() async throws {
        try await GatewayHarness.withGateway { gateway in
            let lists = Self.administration(gateway)
            try await lists.load(.oauthClientList, file: try Self.oclListing(try await Self.demoFingerprint(gateway)))
            try await lists.removeClient(hostname: "pgo-demo.zorgnet.test")
            #expect(try await gateway.request(.GET, "/fhir/metadata").status == 403)
        }
    }

    @Test("A certificate the OCL entry does not list is refused; listing its fingerprint lets it in again")
    func oclFingerprintsPinCertificates() async throws {
        try await GatewayHarness.withGateway { gateway in
            let lists = Self.administration(gateway)
            let fingerprint = try await Self.demoFingerprint(gateway)
            #expect(fingerprint != Self.fixtureFingerprint)
            try await lists.load(.oauthClientList, file: Self.fixture(.oauthClientList))
            #expect(try await gateway.request(.GET, "/fhir/metadata").status == 403)
            let certificate = try await PartyRegistry(database: gateway.database).certificates(partyID: "pgo-demo").first
            #expect(certificate?.status == .suspended)

            try await lists.setClient(
                OAuthClient(hostname: "pgo-demo.zorgnet.test", organisationName: "Demo PGO", certificateFingerprints: [Self.fixtureFingerprint, fingerprint]))
            #expect(try await gateway.request(.GET, "/fhir/metadata").status == 200)
        }
    }

    @Test("Every entry edit is audited with what changed and the Volgnummer it published")
    func entryEditsAreAudited() async throws {
        try await GatewayHarness.withGateway { gateway in
            let lists = Self.administration(gateway)
            try await lists.load(.oauthClientList, file: try Self.oclListing(try await Self.demoFingerprint(gateway)))
            try await lists.setClientStatus(hostname: "medmij.deenigeechtepgo.nl", .suspended)
            try await lists.removeClient(hostname: "medmij.deenigeechtepgo.nl")
            try await lists.load(.whitelist, file: Self.fixture(.whitelist))
            try await lists.addNode(hostname: "node.example.nl")
            let events = try await gateway.auditRecords().map(\.event).filter { $0.method == "LIST" }
            #expect(events.first?.path.hasPrefix("oauthClientList: load ") == true)
            #expect(events.dropFirst().map(\.path) == [
                "oauthClientList: client medmij.deenigeechtepgo.nl Geschorst",
                "oauthClientList: remove client medmij.deenigeechtepgo.nl",
                "whitelist: load MedMij_Whitelist.xml",
                "whitelist: add node node.example.nl",
            ])
            #expect(events.map(\.status) == [0, 0, 0, 0, 0])
            #expect(events[1].detail?.hasPrefix("OAuth Client List Volgnummer 8 in force") == true)
            #expect(events[2].detail?.hasPrefix("OAuth Client List Volgnummer 9 in force") == true)
            #expect(events[4].detail?.hasPrefix("Whitelist Volgnummer 4 in force") == true)
        }
    }

    @Test("A refused list changes nothing and the refusal is audited with its reason")
    func refusalsAreAuditedAndChangeNothing() async throws {
        try await GatewayHarness.withGateway { gateway in
            let lists = Self.administration(gateway)
            try await lists.load(.whitelist, file: Self.fixture(.whitelist))
            let stale = GatewayHarness.temporaryDirectory() + ".xml"
            let text = try String(contentsOfFile: Self.fixture(.whitelist), encoding: .utf8)
                .replacingOccurrences(of: "<Volgnummer>3</Volgnummer>", with: "<Volgnummer>2</Volgnummer>")
                .replacingOccurrences(of: "medmij.xisbridge.net", with: "evil.example.nl")
            try text.write(toFile: stale, atomically: true, encoding: .utf8)
            await #expect(throws: ListAdministration.Refusal.refused(.whitelist, "Volgnummer 2 is lower than 3 in force")) {
                try await lists.load(.whitelist, file: stale)
            }
            await #expect(throws: ListAdministration.Refusal.noSuchEntry("node nowhere.example.nl")) {
                try await lists.removeNode(hostname: "nowhere.example.nl")
            }
            let (inForce, publications) = try await lists.show(.whitelist)
            guard case .whitelist(let whitelist)? = inForce else {
                Issue.record("no whitelist in force")
                return
            }
            #expect(whitelist.sequenceNumber == 3)
            #expect(!whitelist.contains("evil.example.nl"))
            #expect(publications.count == 1)

            let events = try await gateway.auditRecords().map(\.event).filter { $0.method == "LIST" }
            #expect(events.map(\.status) == [0, 1, 1])
            #expect(events[1].detail == "refused: Volgnummer 2 is lower than 3 in force")
        }
    }
}
