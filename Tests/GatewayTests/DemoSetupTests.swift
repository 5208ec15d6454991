import FHIR
import Foundation
import Store
import Testing

@testable import Gateway

@Suite("Demo data and dev tokens")
struct DemoSetupTests {
    static func fixtures() throws -> String {
        try #require(GatewaySetup.defaultFixturesPath(), "Fixtures/demo must be found from the test's checkout")
    }

    @Test("the demo fixtures load, and loading them again adds no versions")
    func loadTwice() async throws {
        let directory = DataDirectory(path: GatewayHarness.temporaryDirectory())
        try directory.create()
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        let setup = GatewaySetup(directory: directory)
        let first = try await setup.loadDemoFixtures(from: try Self.fixtures(), database: database)
        #expect(first.patients.count == 4)
        #expect(first.stored > 40)
        let second = try await setup.loadDemoFixtures(from: try Self.fixtures(), database: database)
        #expect(second.stored == 0)
        #expect(try await GatewaySettings(database: database).isDemo)
    }

    @Test("every demo BSN passes the eleven-test and every demo resource names its profile")
    func fixtureQuality() throws {
        let directory = try Self.fixtures()
        var bsns = [String]()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".json") {
            let bundle = try FHIRJSON.parseResource([UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))))
            for entry in bundle["entry"]?.elements ?? [] {
                let resource = try #require(entry["resource"])
                #expect(!(resource["meta"]?["profile"]?.elements.isEmpty ?? true), "\(file): \(resource["id"]?.stringValue ?? "?") has no profile")
                for identifier in resource["identifier"]?.elements ?? []
                where identifier["system"]?.stringValue == "http://fhir.nl/fhir/NamingSystem/bsn" {
                    bsns.append(identifier["value"]?.stringValue ?? "")
                }
            }
        }
        #expect(bsns.count == 4)
        for bsn in bsns {
            let digits = bsn.compactMap(\.wholeNumberValue)
            #expect(digits.count == 9)
            let sum = zip(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1]).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(sum % 11 == 0, "\(bsn) fails the eleven-test")
        }
    }

    @Test("dev tokens are issued on a demo data directory and refused on any other")
    func devTokensOnlyForDemo() async throws {
        let demoPath = GatewayHarness.temporaryDirectory()
        let demo = DataDirectory(path: demoPath)
        try demo.create()
        let database = try GatewayDatabase(path: demo.gatewayDatabasePath)
        try await GatewaySetup(directory: demo).initializePKI(database: database)
        _ = try await GatewaySetup(directory: demo).loadDemoFixtures(from: try Self.fixtures(), database: database)
        try database.close()
        let issued = try await DevTokenIssuer(directory: demo).issue(client: "pgo-demo", patient: "demo-jansen-patient", minutes: 15)
        #expect(issued.token.count >= 43)
        await #expect(throws: DevTokenIssuer.Refusal.unknownPatient("nobody")) {
            _ = try await DevTokenIssuer(directory: demo).issue(client: "pgo-demo", patient: "nobody", minutes: 15)
        }
        await #expect(throws: DevTokenIssuer.Refusal.notAnActiveApp("hospital-demo")) {
            _ = try await DevTokenIssuer(directory: demo).issue(client: "hospital-demo", patient: "demo-jansen-patient", minutes: 15)
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
}
