import Audit
import Consent
import FHIR
import Foundation
import Store
import Testing

@testable import Gateway

/// Every consent decision is an audit event: the outcome, the consent versions that decided and how
/// much was disclosed and withheld, committed with the request's event.
@Suite("Consent decisions in the audit log")
struct ConsentAuditTests {
    @Test("a partly permitted search is logged as partial, naming the consent version and the counts")
    func partialSearch() async throws {
        try await GatewayHarness.withGateway(seed: ConsentTestData.seedManyObservations) { gateway in
            let token = try await gateway.token(patient: "p1", consent: .none)
            let consent = try await gateway.grantConsent(patient: "p1", categories: [.vitalSigns])
            let reply = try await gateway.request(.GET, "/fhir/Observation?_count=5", token: token)
            #expect(reply.status == 200)
            let event = try #require(try await gateway.auditRecords().last?.event)
            #expect(event.decision == ConsentDecisionRecord(
                outcome: .partial, consents: [ConsentVersion(id: consent.id, version: 1)], permitted: 5, denied: 10))
            #expect(event.entities.count == 5)
        }
    }

    @Test("a denied read is logged as a deny of one resource, a permitted one as a permit naming its consent")
    func readDecisions() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1", consent: .none)
            let consent = try await gateway.grantConsent(patient: "p1", categories: [.patientAndContacts])
            #expect(try await gateway.request(.GET, "/fhir/Observation/bp-p1-1", token: token).status == 404)
            let denied = try #require(try await gateway.auditRecords().last?.event.decision)
            #expect(denied.outcome == .deny)
            #expect((denied.permitted, denied.denied) == (0, 1))

            #expect(try await gateway.request(.GET, "/fhir/Patient/p1", token: token).status == 200)
            let permitted = try #require(try await gateway.auditRecords().last?.event.decision)
            #expect(permitted == ConsentDecisionRecord(
                outcome: .permit, consents: [ConsentVersion(id: consent.id, version: 1)], permitted: 1, denied: 0))
        }
    }

    @Test("after a revocation the log names no consent and counts the deny, and the chain still verifies")
    func revokedAndVerified() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1", consent: .none)
            let consent = try await gateway.grantConsent(patient: "p1", categories: [.everything])
            _ = try await gateway.request(.GET, "/fhir/metadata")
            _ = try await gateway.request(.GET, "/fhir/Observation", token: token)
            try await gateway.recordConsent(consent.revoked(at: Date()))
            _ = try await gateway.request(.GET, "/fhir/Observation", token: token)
            let records = try await gateway.auditRecords()
            #expect(records[0].event.decision == nil)
            #expect(records[1].event.decision?.outcome == .permit)
            #expect(records[1].event.decision?.consents == [ConsentVersion(id: consent.id, version: 1)])
            #expect(records[2].event.decision == ConsentDecisionRecord(outcome: .deny, consents: [], permitted: 0, denied: 3))
            #expect(try await gateway.auditReader.verify().isIntact)
        }
    }
}
