import Audit
import Consent
import Foundation
import Synchronization
import Testing

@_spi(Benchmarking) @testable import Gateway

/// The overhead benchmark (scenario f) is only meaningful if its substitutes really replace what they
/// claim to, and only there: these tests hold both sides.
@Suite("Measurement substitutes for the overhead benchmark")
struct MeasurementSubstitutesTests {
    final class RecordingSink: AuditSink {
        let events = Mutex<[AuditEvent]>([])
        func record(_ event: AuditEvent) async throws { events.withLock { $0.append(event) } }
    }

    struct NoConsents: ConsentSource {
        func latestVersions(patientID: String) async throws -> [ConsentRecord] { [] }
    }

    @Test("a substitute audit sink receives the back listener's events, and audit.sqlite receives none of them")
    func auditSinkReplacesTheBackListenersLog() async throws {
        let sink = RecordingSink()
        try await GatewayHarness.withGateway(
            seed: BgZQueryTests.seedDemo, substitutes: MeasurementSubstitutes(auditSink: sink)
        ) { gateway in
            let before = try await gateway.auditReader.count()
            let token = try await gateway.token(patient: "pzc-diab-patient")
            #expect(try await gateway.request(.GET, "/fhir/Patient/pzc-diab-patient", token: token).status == 200)
            #expect(try await gateway.request(.GET, "/fhir/Condition", token: token).status == 200)
            let recorded = sink.events.withLock { $0 }
            #expect(recorded.map(\.path) == ["/fhir/Patient/pzc-diab-patient", "/fhir/Condition"])
            #expect(recorded.allSatisfy { $0.channel == .back && $0.patientID == "pzc-diab-patient" })
            #expect(try await gateway.auditReader.count() == before)
        }
    }

    @Test("a substitute consent source is what reads consult: with none there, the consent in the database permits nothing")
    func consentSourceReplacesTheLookup() async throws {
        try await GatewayHarness.withGateway(
            seed: BgZQueryTests.seedDemo, substitutes: MeasurementSubstitutes(consentSource: NoConsents())
        ) { gateway in
            let token = try await gateway.token(patient: "pzc-diab-patient")   // records a collect-everything consent
            #expect(try await gateway.request(.GET, "/fhir/Patient/pzc-diab-patient", token: token).status == 404)
        }
    }

    @Test("the gateway as it runs replaces nothing: the same read is permitted and lands in audit.sqlite")
    func productionReplacesNothing() async throws {
        #expect(MeasurementSubstitutes.none.auditSink == nil && MeasurementSubstitutes.none.consentSource == nil)
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            let before = try await gateway.auditReader.count()
            let token = try await gateway.token(patient: "pzc-diab-patient")
            #expect(try await gateway.request(.GET, "/fhir/Patient/pzc-diab-patient", token: token).status == 200)
            #expect(try await gateway.auditReader.count() == before + 1)
        }
    }
}
