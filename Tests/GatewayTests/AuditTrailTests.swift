import Audit
import FHIR
import Foundation
import GRDB
import Testing

@testable import Gateway

@Suite("Every access is logged before it is answered")
struct AuditTrailTests {
    @Test("each request on either listener appends one event, and the chain verifies")
    func oneEventPerRequest() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            _ = try await gateway.request(.GET, "/fhir/metadata")
            _ = try await gateway.request(.GET, "/fhir/Patient/p1", token: token, headers: [("MedMij-Request-ID", "req-42"), ("X-Correlation-ID", "corr-7")])
            _ = try await gateway.request(.GET, "/fhir/Observation?_count=1", token: token)
            _ = try await gateway.request(.GET, "/fhir/Patient/p2", token: token)
            _ = try await gateway.request(.GET, "/", as: nil, front: true)
            let records = try await gateway.auditRecords()
            #expect(records.count == 5)
            #expect(try await AuditLog(path: gateway.dataDirectory.auditDatabasePath).verify().isIntact)

            let read = records[1].event
            #expect(read.partyID == "pgo-demo")
            #expect(read.patientID == "p1")
            #expect(read.entities == ["Patient/p1"])
            #expect(read.requestID == "req-42")
            #expect(read.correlationID == "corr-7")
            #expect(read.clientAddress?.hasPrefix("127.0.0.1:") == true)
            #expect(records[2].event.entities.count == 1)
            #expect(records[3].event.status == 404)
            #expect(records[3].event.entities.isEmpty)
            #expect(records[4].event.channel == .front)
        }
    }

    @Test("MedMij request and correlation ids are echoed")
    func echoedHeaders() async throws {
        try await GatewayHarness.withGateway { gateway in
            let reply = try await gateway.request(.GET, "/fhir/metadata", headers: [("MedMij-Request-ID", "abc"), ("X-Correlation-ID", "def")])
            #expect(reply.header("medmij-request-id") == "abc")
            #expect(reply.header("x-correlation-id") == "def")
        }
    }

    @Test("when the audit event cannot be written the request fails with 500 and discloses nothing")
    func failClosed() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let saboteur = try DatabaseQueue(path: gateway.dataDirectory.auditDatabasePath)
            try await saboteur.write { db in try db.execute(sql: "DROP TABLE audit_event") }
            try saboteur.close()
            let reply = try await gateway.request(.GET, "/fhir/Patient/p1", token: token)
            #expect(reply.status == 500)
            #expect(!reply.text.contains("Jansen"))
            #expect(try reply.json()["resourceType"]?.stringValue == "OperationOutcome")
        }
    }

    @Test("neither tokens nor BSNs ever reach the log output")
    func nothingSecretInLogs() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            _ = try await gateway.request(.GET, "/fhir/Patient/p1", token: token)
            _ = try await gateway.request(.GET, "/fhir/Patient?identifier=http://fhir.nl/fhir/NamingSystem/bsn%7C\(TestData.bsnOfP1)", token: token)
            _ = try await gateway.request(.GET, "/fhir/Patient/p1", token: token + "x")
            let saboteur = try DatabaseQueue(path: gateway.dataDirectory.auditDatabasePath)
            try await saboteur.write { db in try db.execute(sql: "DROP TABLE audit_event") }
            try saboteur.close()
            _ = try await gateway.request(.GET, "/fhir/Patient/p1", token: token)
            let logs = gateway.logs.all
            #expect(!logs.contains(token))
            #expect(!logs.contains(TestData.bsnOfP1))
            #expect(!logs.contains("Jansen"))
        }
    }
}
