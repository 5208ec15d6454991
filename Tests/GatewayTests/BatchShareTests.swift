import Audit
import Consent
import FHIR
import Foundation
import Store
import Testing

@testable import Gateway

/// `POST /fhir` with a `batch` Bundle from a PGO app (MedMij "delen"): each entry is a create under the
/// rules of `POST /fhir/Observation`, answered on its own in the batch-response.
@Suite("A PGO app shares self-measurements in a batch; each entry succeeds or fails on its own")
struct BatchShareTests {
    static func batch(_ resources: [(url: String, resource: [UInt8])], method: String = "POST") throws -> [UInt8] {
        let entries: [FHIRValue] = try resources.map { url, bytes in
            ["resource": try FHIRJSON.parse(bytes), "request": ["method": .string(method), "url": .string(url)]]
        }
        return FHIRJSON.serialize(["resourceType": "Bundle", "type": "batch", "entry": .array(entries)])
    }

    @Test("valid entries are created (201 with location), the invalid, unconsented-type and other-patient ones refused with their own status")
    func mixedBatch() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            try await CreateResourceTests.consentToWrite(gateway)
            let token = try await gateway.token(patient: "p1")
            let before = try await Self.observations(gateway)
            let body = try Self.batch([
                ("Observation", CreateResourceTests.measurement()),
                ("Observation", CreateResourceTests.measurement { $0["status"] = "done" }),
                ("Condition", Array(#"{"resourceType": "Condition", "subject": {"reference": "Patient/p1"}}"#.utf8)),
                ("Observation", CreateResourceTests.measurement { $0["subject"] = ["reference": "Patient/p2"] }),
                ("Observation", CreateResourceTests.measurement { $0["effectiveDateTime"] = "2026-11-21T08:00:00+01:00" }),
            ])
            let reply = try await gateway.request(.POST, "/fhir", token: token, headers: CreateResourceTests.json, body: body)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(try reply.json()["type"]?.stringValue == "batch-response")
            #expect(try PushFixtures.statuses(reply) == [
                "201 Created", "422 Unprocessable Content", "405 Method Not Allowed", "403 Forbidden", "201 Created",
            ])
            let entries = try reply.json()["entry"]?.elements ?? []
            let invalid = entries[1]["response"]?["outcome"]?["issue"]?.elements ?? []
            #expect(invalid.map { $0["expression"]?.elements.first?.stringValue } == ["Observation.status"])
            #expect(!reply.text.contains("p2"))
            #expect(try await Self.observations(gateway) == before + 2)
            let location = try #require(try PushFixtures.locations(reply)[0])
            let id = location.split(separator: "/")[1]
            let read = try await gateway.request(.GET, "/fhir/Observation/\(id)", token: token)
            #expect(read.status == 200)
            #expect(try read.json()["subject"]?["reference"]?.stringValue == "Patient/p1")
        }
    }

    @Test("without the patient's consent to share every entry is 403 and nothing is stored; without a token the batch is 401")
    func noConsent() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1", consent: .everything)
            let before = try await Self.observations(gateway)
            let body = try Self.batch([("Observation", CreateResourceTests.measurement()), ("Observation", CreateResourceTests.measurement())])
            let reply = try await gateway.request(.POST, "/fhir", token: token, headers: CreateResourceTests.json, body: body)
            #expect(reply.status == 200)
            #expect(try PushFixtures.statuses(reply) == ["403 Forbidden", "403 Forbidden"])
            #expect(try await gateway.request(.POST, "/fhir", headers: CreateResourceTests.json, body: body).status == 401)
            #expect(try await Self.observations(gateway) == before)
        }
    }

    @Test("an entry that is not a POST is refused on its own; a batch without entries is 400; another Bundle type is 400")
    func refusedShapes() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            try await CreateResourceTests.consentToWrite(gateway)
            let token = try await gateway.token(patient: "p1")
            let put = try Self.batch([("Observation", CreateResourceTests.measurement())], method: "PUT")
            let reply = try await gateway.request(.POST, "/fhir", token: token, headers: CreateResourceTests.json, body: put)
            #expect(try PushFixtures.statuses(reply) == ["405 Method Not Allowed"])
            let empty = Array(#"{"resourceType": "Bundle", "type": "batch"}"#.utf8)
            #expect(try await gateway.request(.POST, "/fhir", token: token, headers: CreateResourceTests.json, body: empty).status == 400)
            let collection = Array(#"{"resourceType": "Bundle", "type": "collection"}"#.utf8)
            let refused = try await gateway.request(.POST, "/fhir", token: token, headers: CreateResourceTests.json, body: collection)
            #expect(refused.status == 400)
            #expect(refused.text.contains("Bundle.type"))
        }
    }

    @Test("the batch is audited: patient, created entities, consent decisions, refusals counted by status")
    func audited() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            try await CreateResourceTests.consentToWrite(gateway)
            let token = try await gateway.token(patient: "p1")
            let body = try Self.batch([
                ("Observation", CreateResourceTests.measurement()), ("Observation", CreateResourceTests.measurement { $0["status"] = "done" }),
            ])
            let reply = try await gateway.request(.POST, "/fhir", token: token, headers: CreateResourceTests.json, body: body)
            let location = try #require(try PushFixtures.locations(reply)[0])
            let event = try #require(try await gateway.auditRecords().last { $0.event.method == "POST" }?.event)
            #expect(event.status == 200)
            #expect(event.patientID == "p1")
            #expect(event.entities == [location.split(separator: "/").prefix(2).joined(separator: "/")])
            #expect(event.decision?.consents.map(\.id) == ["write-p1"])
            #expect(event.detail == "batch: 1 of 2 entries created; refused 1×422")
        }
    }

    static func observations(_ gateway: RunningGateway) async throws -> Int {
        try await PushFixtures.count(gateway, type: "Observation")
    }
}
