import Audit
import Consent
import FHIR
import Foundation
import Store
import Testing

@testable import Gateway

/// `serve --demo` lets the demo hospital push for some demo patients and not others, and the pushes in
/// `Fixtures/push` show both answers.
@Suite("The demo push consents and the demo push bundles")
struct PushDemoTests {
    @Test("the demo hospital may push for the diabetes and Parkinson patients only: the fixtures answer 200 and 403")
    func demoPushes() async throws {
        let path = GatewayHarness.temporaryDirectory()
        let recorded = Recorded()
        try await GatewayHarness.withGateway(dataPath: path, seed: { database in
            try await BgZQueryTests.seedDemo(database)
            let setup = GatewaySetup(directory: DataDirectory(path: path))
            await recorded.set(try await setup.grantDemoPushConsents(database: database))
            // A second start records nothing new.
            await recorded.again(try await setup.grantDemoPushConsents(database: database).count)
        }) { gateway in
            #expect(await recorded.patients == ["pzc-diab-patient", "pzc-park-patient"])
            #expect(await recorded.secondRun == 0)
            let accepted = try await PushFixtures.push(gateway, FHIRJSON.serialize(.object(try PushFixtures.bundle("discharge-summary-diabetes"))))
            #expect(accepted.status == 200, "\(accepted.text)")
            let refused = try await PushFixtures.push(gateway, FHIRJSON.serialize(.object(try PushFixtures.bundle("discharge-summary-not-permitted"))))
            #expect(refused.status == 403, "\(refused.text)")
            let audited = try await gateway.auditRecords().map(\.event).filter { $0.path == "demo push consent" }
            #expect(audited.map(\.patientID) == ["pzc-diab-patient", "pzc-park-patient"])
            #expect(audited.allSatisfy { $0.partyID == "hospital-demo" && $0.entities.count == 1 })
        }
    }

    @Test("the not-permitted fixture is a valid push: once its patient permits, it is accepted")
    func notPermittedFixtureIsValid() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway, patient: "pzc-wils-patient")
            let reply = try await PushFixtures.push(gateway, FHIRJSON.serialize(.object(try PushFixtures.bundle("discharge-summary-not-permitted"))))
            #expect(reply.status == 200, "\(reply.text)")
        }
    }

    actor Recorded {
        var patients: [String] = []
        var secondRun = -1
        func set(_ consents: [ConsentRecord]) { patients = consents.map(\.patientID) }
        func again(_ count: Int) { secondRun = count }
    }
}
