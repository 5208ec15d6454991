import FHIR
import Foundation
import PZCImport
import Store
import Zib
import Testing

@testable import Gateway

@Suite("Demo data and dev tokens")
struct DemoSetupTests {
    static func fixtures() throws -> String {
        try #require(GatewaySetup.defaultFixturesPath(), "Fixtures/pzc must be found from the test's checkout")
    }

    static func profiles() throws -> String {
        try #require(ProjectResources.profilesDirectory, "Profiles/ must be found from the test's checkout")
    }

    @Test("the demo PZCs import, and importing them again adds no versions")
    func loadTwice() async throws {
        let directory = DataDirectory(path: GatewayHarness.temporaryDirectory())
        try directory.create()
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        let setup = GatewaySetup(directory: directory)
        let first = try await setup.importDemoPZCs(from: try Self.fixtures(), profiles: try Self.profiles(), database: database)
        #expect(first.patients.count >= 5)
        #expect(first.stored > 200)
        let second = try await setup.importDemoPZCs(from: try Self.fixtures(), profiles: try Self.profiles(), database: database)
        #expect(second.stored == 0)
    }

    @Test("a demo resource the profiles refuse stops the demo setup with the fixture and the entry named")
    func refusedDemoResourceFails() async throws {
        // Profiles/ without the body weight profile: every weight claims a profile nobody checks.
        let profiles = GatewayHarness.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: try Self.profiles()) where file != "zib-BodyWeight.json" {
            try FileManager.default.copyItem(atPath: try Self.profiles() + "/" + file, toPath: profiles + "/" + file)
        }
        let directory = DataDirectory(path: GatewayHarness.temporaryDirectory())
        try directory.create()
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        defer { try? database.close() }
        do {
            _ = try await GatewaySetup(directory: directory).importDemoPZCs(from: try Self.fixtures(), profiles: profiles, database: database)
            Issue.record("a refused demo resource must stop the setup")
        } catch let error as SetupError {
            guard case .invalidFixture(let path, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path.hasSuffix(".json"))
            #expect(reason.contains("refused by their profiles"))
            #expect(reason.contains("unknown profile http://nictiz.nl/fhir/StructureDefinition/zib-BodyWeight"), "\(reason)")
        }
    }

    @Test("every demo patient's BSN passes the eleven-test")
    func demoBSNs() throws {
        let directory = try Self.fixtures()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".json") {
            let export = try PZCExport.decode(from: try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)))
            let digits = (export.patient.bsn ?? "").compactMap(\.wholeNumberValue)
            #expect(digits.count == 9, "\(file)")
            let sum = zip(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1]).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(sum % 11 == 0, "\(file): BSN fails the eleven-test")
        }
    }

    @Test("dev tokens are issued on a demo data directory and refused on any other")
    func devTokensOnlyForDemo() async throws {
        let demoPath = GatewayHarness.temporaryDirectory()
        let demo = DataDirectory(path: demoPath)
        try demo.create()
        let database = try GatewayDatabase(path: demo.gatewayDatabasePath)
        try await GatewaySetup(directory: demo).claimForDemo(database: database, existedBefore: false)
        try await GatewaySetup(directory: demo).initializePKI(database: database)
        _ = try await GatewaySetup(directory: demo).importDemoPZCs(from: try Self.fixtures(), profiles: try Self.profiles(), database: database)
        try database.close()
        let issued = try await DevTokenIssuer(directory: demo).issue(client: "pgo-demo", patient: "pzc-diab-patient", minutes: 15)
        #expect(issued.token.count >= 43)
        await #expect(throws: DevTokenIssuer.Refusal.unknownPatient("nobody")) {
            _ = try await DevTokenIssuer(directory: demo).issue(client: "pgo-demo", patient: "nobody", minutes: 15)
        }
        await #expect(throws: DevTokenIssuer.Refusal.notAnActiveApp("hospital-demo")) {
            _ = try await DevTokenIssuer(directory: demo).issue(client: "hospital-demo", patient: "pzc-diab-patient", minutes: 15)
        }

        let realPath = GatewayHarness.temporaryDirectory()
        let real = DataDirectory(path: realPath)
        try real.create()
        let realDatabase = try GatewayDatabase(path: real.gatewayDatabasePath)
        try await GatewaySetup(directory: real).initializePKI(database: realDatabase)
        try realDatabase.close()
        await #expect(throws: DevTokenIssuer.Refusal.notADemoDirectory(realPath)) {
            _ = try await DevTokenIssuer(directory: real).issue(client: "pgo-demo", patient: "p1", minutes: 15)
        }
    }

    @Test("--demo refuses an existing data directory that was not created for the demo")
    func demoNeverClaimsRealData() async throws {
        let real = DataDirectory(path: GatewayHarness.temporaryDirectory())
        try real.create()
        let database = try GatewayDatabase(path: real.gatewayDatabasePath)
        await #expect(throws: SetupError.self) {
            try await GatewaySetup(directory: real).claimForDemo(database: database, existedBefore: true)
        }
        #expect(try await GatewaySettings(database: database).isDemo == false)
    }
}
