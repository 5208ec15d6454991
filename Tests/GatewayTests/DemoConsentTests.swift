import Audit
import Auth
import Consent
import Foundation
import Store
import Testing

@testable import Gateway

/// A dev token stays usable under deny by default: it brings (and audits) the demo consent.
@Suite("Demo consent for dev tokens")
struct DemoConsentTests {
    /// A demo data directory with the dev PKI and the demo PZCs.
    static func demoDirectory() async throws -> DataDirectory {
        let directory = DataDirectory(path: GatewayHarness.temporaryDirectory())
        try directory.create()
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        defer { try? database.close() }
        let setup = GatewaySetup(directory: directory)
        try await setup.claimForDemo(database: database, existedBefore: false)
        try await setup.initializePKI(database: database)
        _ = try await setup.importDemoPZCs(
            from: try DemoSetupTests.fixtures(), profiles: try DemoSetupTests.profiles(), database: database)
        return directory
    }

    static func consents(_ directory: DataDirectory, patient: String) async throws -> [ConsentRecord] {
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        defer { try? database.close() }
        return try await ConsentRepository(database: database).consentsInForce(patientID: patient, at: Date())
    }

    @Test("a dev token comes with an audited demo consent for everything, recorded once")
    func devTokenGrantsOnce() async throws {
        let directory = try await Self.demoDirectory()
        _ = try await DevTokenIssuer(directory: directory).issue(client: "pgo-demo", patient: "pzc-diab-patient", minutes: 15)
        _ = try await DevTokenIssuer(directory: directory).issue(client: "pgo-demo", patient: "pzc-diab-patient", minutes: 15)
        let consents = try await Self.consents(directory, patient: "pzc-diab-patient")
        #expect(consents.count == 1)
        #expect(consents.first?.root == Provision(.permit, actors: [.pgoApp(DevPKI.pgoDemoClientID)], actions: [.collect], categories: [.everything]))
        #expect(consents.first?.validity.end == nil)

        let log = try AuditLog(readingAt: directory.auditDatabasePath)
        defer { try? log.close() }
        let events = try await log.records().map(\.event)
        #expect(events.map(\.method) == ["CONSENT", "TOKEN", "TOKEN"])
        #expect(events.first?.entities == ["Consent/\(consents.first?.id ?? "")/_history/1"])
        #expect(events.first?.patientID == "pzc-diab-patient")
        #expect(try await log.verify().isIntact)
    }

    @Test("a patient's own deny for the demo app is respected: no demo consent is added over it")
    func respectsExistingChoice() async throws {
        let directory = try await Self.demoDirectory()
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        try await ConsentRepository(database: database).record(
            ConsentRecord(
                id: "own-choice", patientID: "pzc-kind-patient", recordedAt: Date(), validity: ConsentPeriod(start: Date(timeIntervalSinceNow: -60)),
                root: Provision(.deny, actors: [.pgoApp(DevPKI.pgoDemoClientID)])))
        try database.close()
        _ = try await DevTokenIssuer(directory: directory).issue(client: "pgo-demo", patient: "pzc-kind-patient", minutes: 15)
        #expect(try await Self.consents(directory, patient: "pzc-kind-patient").map(\.id) == ["own-choice"])
    }
}
