import Exchange
import Foundation
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

    @Test("Suspending a PGO app on the OCL shuts its connections out from the next request on")
    func oclStatusDrivesAppAccess() async throws {
        try await GatewayHarness.withGateway { gateway in
            let lists = Self.administration(gateway)
            #expect(try await lists.load(.oauthClientList, file: Self.fixture(.oauthClientList))
                == .accepted(sequenceNumber: 7, replacing: nil))
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
            try await lists.load(.oauthClientList, file: Self.fixture(.oauthClientList))
            try await lists.removeClient(hostname: "pgo-demo.zorgnet.test")
            #expect(try await gateway.request(.GET, "/fhir/metadata").status == 403)
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
