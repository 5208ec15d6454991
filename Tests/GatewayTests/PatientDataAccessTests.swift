import FHIR
import Foundation
import Store
import Testing

@testable import Gateway

@Suite("Patient data behind certificate-bound tokens")
struct PatientDataAccessTests {
    @Test("reading patient data without a token answers 401")
    func noToken() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let reply = try await gateway.request(.GET, "/fhir/Patient/p1")
            #expect(reply.status == 401)
            #expect(reply.header("www-authenticate")?.hasPrefix("Bearer") == true)
        }
    }

    @Test("a token yields its own patient's resource with ETag and Last-Modified")
    func readOwnPatient() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, "/fhir/Patient/p1", token: token)
            #expect(reply.status == 200)
            #expect(reply.header("etag") == "W/\"1\"")
            #expect(reply.header("last-modified")?.hasSuffix("GMT") == true)
            let patient = try reply.json()
            #expect(patient["id"]?.stringValue == "p1")
            #expect(patient["meta"]?["versionId"]?.stringValue == "1")
        }
    }

    @Test("the BSN never reaches a PGO app, in JSON or XML", arguments: ["json", "xml"])
    func bsnMasked(_ format: String) async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            for path in ["/fhir/Patient/p1?_format=\(format)", "/fhir/Patient?_format=\(format)", "/fhir/Patient/p1/_history?_format=\(format)"] {
                let reply = try await gateway.request(.GET, path, token: token)
                #expect(reply.status == 200)
                #expect(!reply.text.contains(TestData.bsnOfP1), "\(path) disclosed the BSN")
                #expect(reply.text.contains("masked"))
            }
        }
    }

    @Test("If-None-Match with the current version answers 304")
    func conditionalRead() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, "/fhir/Patient/p1", token: token, headers: [("If-None-Match", "W/\"1\"")])
            #expect(reply.status == 304)
            #expect(reply.body.isEmpty)
        }
    }

    @Test("another patient's data looks exactly like data that does not exist", arguments: [
        "/fhir/Patient/p2", "/fhir/Observation/bp-p2-1", "/fhir/Practitioner/gp-other", "/fhir/Patient/nobody",
        "/fhir/Patient/p2/_history", "/fhir/Observation/bp-p2-1/_history/1",
    ])
    func otherPatientIsNotFound(_ path: String) async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, path, token: token)
            #expect(reply.status == 404)
            let outcome = try reply.json()
            #expect(outcome["issue"]?.elements.first?["code"]?.stringValue == "not-found")
        }
    }

    @Test("a resource the patient's own data refers to can be read")
    func referencedSharedResource() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, "/fhir/Practitioner/gp1", token: token)
            #expect(reply.status == 200)
        }
    }

    @Test("vread and history serve stored versions")
    func versions() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let repository = ResourceRepository(database: gateway.database)
            var changed = try FHIRResource(TestData.patient("p1", family: "Jansen-de Vries", bsn: TestData.bsnOfP1, gp: "gp1").objectValue ?? [:])
            changed.id = "p1"
            _ = try await repository.store([IncomingResource(resource: changed, receivedFormat: .json, receivedBytes: FHIRJSON.serialize(changed))])
            let token = try await gateway.token(patient: "p1")
            let first = try await gateway.request(.GET, "/fhir/Patient/p1/_history/1", token: token)
            #expect(first.status == 200)
            #expect(try first.json()["name"]?.elements.first?["family"]?.stringValue == "Jansen")
            let current = try await gateway.request(.GET, "/fhir/Patient/p1", token: token)
            #expect(current.header("etag") == "W/\"2\"")
            let history = try await gateway.request(.GET, "/fhir/Patient/p1/_history", token: token)
            let bundle = try history.json()
            #expect(bundle["type"]?.stringValue == "history")
            #expect(bundle["total"]?.numberValue?.intValue == 2)
            let missing = try await gateway.request(.GET, "/fhir/Patient/p1/_history/9", token: token)
            #expect(missing.status == 404)
        }
    }

    @Test("another patient's resource stays hidden even when the token's own data points at it")
    func crossPatientReferences() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let values: [FHIRValue] = [
                ["resourceType": "Coverage", "id": "cov-p2", "status": "active", "subscriber": ["reference": "Patient/p2/_history/1"]],
                [
                    "resourceType": "List", "id": "list-p1", "status": "current", "mode": "working", "subject": ["reference": "Patient/p1"],
                    "entry": [["item": ["reference": "Coverage/cov-p2"]], ["item": ["reference": "https://other.example/fhir/Practitioner/gp-other"]]],
                ],
            ]
            let incoming = try values.map { value -> IncomingResource in
                let resource = try FHIRResource(value.objectValue ?? [:])
                return IncomingResource(resource: resource, receivedFormat: .json, receivedBytes: FHIRJSON.serialize(resource))
            }
            _ = try await ResourceRepository(database: gateway.database).store(incoming)
            let token = try await gateway.token(patient: "p1")
            #expect(try await gateway.request(.GET, "/fhir/List/list-p1", token: token).status == 200)
            #expect(try await gateway.request(.GET, "/fhir/Coverage/cov-p2", token: token).status == 404)
            #expect(try await gateway.request(.GET, "/fhir/Practitioner/gp-other", token: token).status == 404)
        }
    }

    @Test("vread and history under a token serve only the versions that belonged to its patient")
    func versionsOfAnotherPatient() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let repository = ResourceRepository(database: gateway.database)
            for patient in ["p2", "p1"] {
                let resource = try FHIRResource(
                    TestData.bloodPressure("moved", patient: patient, date: "2026-01-01", systolic: "120").objectValue ?? [:])
                _ = try await repository.store([IncomingResource(resource: resource, receivedFormat: .json, receivedBytes: FHIRJSON.serialize(resource))])
            }
            let token = try await gateway.token(patient: "p1")
            #expect(try await gateway.request(.GET, "/fhir/Observation/moved/_history/2", token: token).status == 200)
            #expect(try await gateway.request(.GET, "/fhir/Observation/moved/_history/1", token: token).status == 404)
            let history = try await gateway.request(.GET, "/fhir/Observation/moved/_history", token: token).json()
            #expect(history["total"]?.numberValue?.intValue == 1)
        }
    }

    @Test("a token is refused on a connection with another client certificate")
    func tokenBoundToCertificate() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, "/fhir/Patient/p1", as: .hospitalDemo, token: token)
            #expect(reply.status == 401)
            #expect(try await gateway.auditRecords().last?.event.detail == "the bearer token is bound to another client certificate")
        }
    }

    @Test("expired and unknown tokens answer 401")
    func expiredAndUnknown() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let expired = try await gateway.token(patient: "p1", lifetime: .seconds(0))
            #expect(try await gateway.request(.GET, "/fhir/Patient/p1", token: expired).status == 401)
            let unknown = String(repeating: "A", count: 43)
            #expect(try await gateway.request(.GET, "/fhir/Patient/p1", token: unknown).status == 401)
        }
    }

    @Test("XML is served when asked for by Accept or _format, and 406 when nothing fits")
    func contentNegotiation() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let byAccept = try await gateway.request(.GET, "/fhir/Patient/p1", token: token, headers: [("Accept", "application/fhir+xml")])
            #expect(byAccept.header("content-type")?.hasPrefix("application/fhir+xml") == true)
            #expect(byAccept.text.contains("<Patient xmlns=\"http://hl7.org/fhir\">"))
            let byFormat = try await gateway.request(.GET, "/fhir/Patient/p1?_format=xml", token: token, headers: [("Accept", "application/fhir+json")])
            #expect(byFormat.header("content-type")?.hasPrefix("application/fhir+xml") == true)
            let parsed = try FHIRXML.parseResource(byFormat.body)
            #expect(parsed.id == "p1")
            let refused = try await gateway.request(.GET, "/fhir/Patient/p1", token: token, headers: [("Accept", "text/csv")])
            #expect(refused.status == 406)
        }
    }

    @Test("an unknown resource type answers 404 not-supported")
    func unknownType() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, "/fhir/Spaceship/1", token: token)
            #expect(reply.status == 404)
            #expect(try reply.json()["issue"]?.elements.first?["code"]?.stringValue == "not-supported")
        }
    }
}
