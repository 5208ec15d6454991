import Audit
import Consent
import FHIR
import Foundation
import GRDB
import Store
import Testing

@testable import Gateway

/// `POST /fhir/Observation` over real mutual TLS: a PGO app stores the patient's own home
/// measurements, and anything invalid, unconsented or aimed at another patient stores nothing.
@Suite("A PGO app creates self-measurements; invalid ones are refused and nothing is stored")
struct CreateResourceTests {
    static let bloodPressureProfile = "http://nictiz.nl/fhir/StructureDefinition/zib-BloodPressure"

    /// A home blood pressure of p1 that conforms to zib-BloodPressure; `edit` breaks it for a test.
    static func measurement(_ edit: (inout FHIRObject) -> Void = { _ in }) -> [UInt8] {
        func component(_ code: String, _ value: Int) -> FHIRValue {
            [
                "code": ["coding": [["system": "http://loinc.org", "code": .string(code)]]],
                "valueQuantity": ["value": .number(FHIRNumber(value)), "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"],
            ]
        }
        var object: FHIRObject = [
            "resourceType": "Observation", "id": "chosen-by-the-app",
            "meta": ["profile": [.string(bloodPressureProfile)]],
            "status": "final",
            "category": [["coding": [["system": "http://hl7.org/fhir/observation-category", "code": "vital-signs"]]]],
            "code": ["coding": [["system": "http://loinc.org", "code": "85354-9"]]],
            "subject": ["reference": "Patient/p1"],
            "effectiveDateTime": "2026-11-20T08:15:00+01:00",
            "performer": [["reference": "Patient/p1"]],
            "component": [component("8480-6", 131), component("8462-4", 84)],
        ]
        edit(&object)
        return FHIRJSON.serialize(.object(object))
    }

    static let json = [("Content-Type", "application/fhir+json")]

    /// Records p1's consent for the demo app to store (`share`) self-measurements and vital signs.
    static func consentToWrite(_ gateway: RunningGateway, patient: String = "p1") async throws {
        let clientID = try #require(try await PartyRegistry(database: gateway.database).party(id: "pgo-demo")?.clientID)
        try await gateway.recordConsent(ConsentRecord(
            id: "write-\(patient)", patientID: patient, recordedAt: Date(), validity: ConsentPeriod(start: Date(timeIntervalSinceNow: -60)),
            root: Provision(.permit, actors: [.pgoApp(clientID)], actions: [ConsentWriteAuthorization.action],
                            categories: [.selfMeasurements, .vitalSigns])))
    }

    /// Resources, versions and index rows: what a refused create must leave exactly as it was.
    static func rowCounts(_ gateway: RunningGateway) async throws -> [Int] {
        try await gateway.database.pool.read { db in
            try ["resource", "resource_version", "token_index", "reference_index", "patient_compartment"].map { table in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1
            }
        }
    }

    @Test("a valid measurement is stored under a new id: 201 with Location, ETag, Last-Modified, and readable after")
    func validMeasurement() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            try await Self.consentToWrite(gateway)
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.POST, "/fhir/Observation", token: token, headers: Self.json, body: Self.measurement())
            #expect(reply.status == 201, "\(reply.text)")
            let created = try reply.json()
            let id = try #require(created["id"]?.stringValue)
            #expect(id != "chosen-by-the-app")
            #expect(created["meta"]?["versionId"]?.stringValue == "1")
            #expect(reply.header("location")?.hasSuffix("/fhir/Observation/\(id)/_history/1") == true)
            #expect(reply.header("etag") == "W/\"1\"")
            #expect(reply.header("last-modified")?.hasSuffix("GMT") == true)
            let read = try await gateway.request(.GET, "/fhir/Observation/\(id)", token: token)
            #expect(read.status == 200)
            #expect(try read.json()["component"]?.elements.count == 2)
            let found = try await gateway.request(.GET, "/fhir/Observation?_lastUpdated=gt2000-01-01&date=2026-11-20", token: token)
            #expect(try found.json()["total"]?.numberValue?.intValue == 1)
        }
    }

    @Test("an XML body is accepted like JSON")
    func xmlBody() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            try await Self.consentToWrite(gateway)
            let token = try await gateway.token(patient: "p1")
            let xml = FHIRFormat.xml.serialize(try FHIRJSON.parseResource(Self.measurement()), pretty: false)
            let reply = try await gateway.request(
                .POST, "/fhir/Observation", token: token, headers: [("Content-Type", "application/fhir+xml")], body: xml)
            #expect(reply.status == 201, "\(reply.text)")
        }
    }

    @Test("without a subject the token's patient becomes the subject")
    func subjectIsSet() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            try await Self.consentToWrite(gateway)
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(
                .POST, "/fhir/Observation", token: token, headers: Self.json, body: Self.measurement { $0["subject"] = nil })
            #expect(reply.status == 201, "\(reply.text)")
            #expect(try reply.json()["subject"]?["reference"]?.stringValue == "Patient/p1")
        }
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let name: String
        let edit: @Sendable (inout FHIRObject) -> Void
        /// The expected issues as `expression code`.
        let issues: [String]
        var testDescription: String { name }
    }

    static let invalid: [Invalid] = [
        Invalid(name: "an unknown element", edit: { $0["cuffSize"] = "adult" }, issues: ["Observation.cuffSize structure"]),
        Invalid(name: "a status outside its required binding", edit: { $0["status"] = "done" },
                issues: ["Observation.status code-invalid"]),
        Invalid(name: "the diastolic component missing", edit: { object in
            object["component"] = .array(Array((object["component"]?.arrayValue ?? []).prefix(1)))
        }, issues: ["Observation.component required", "Observation.component required"]),
        Invalid(name: "obs-6: a value beside a dataAbsentReason", edit: { object in
            object["valueString"] = "131/84"
            object["dataAbsentReason"] = ["text": "niet gemeten"]
        }, issues: ["Observation invariant"]),
        Invalid(name: "a modifierExtension nobody defines", edit: {
            $0["modifierExtension"] = [["url": "http://example.org/fhir/StructureDefinition/estimated", "valueBoolean": true]]
        }, issues: ["Observation.modifierExtension[0] extension"]),
        Invalid(name: "a device reference where the profile wants a Device", edit: { $0["device"] = ["reference": "Patient/p1"] },
                issues: ["Observation.device.reference structure"]),
        Invalid(name: "an unknown profile", edit: { $0["meta"] = ["profile": ["http://example.org/fhir/StructureDefinition/bp"]] },
                issues: ["Observation.meta.profile[0] not-supported"]),
        Invalid(name: "no profile at all", edit: { $0["meta"] = nil }, issues: ["Observation.meta.profile required"]),
    ]

    @Test("each kind of invalid measurement is refused with 422, exactly its issues, and nothing stored", arguments: invalid)
    func invalidMeasurement(_ invalid: Invalid) async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            try await Self.consentToWrite(gateway)
            let token = try await gateway.token(patient: "p1")
            let before = try await Self.rowCounts(gateway)
            let reply = try await gateway.request(
                .POST, "/fhir/Observation", token: token, headers: Self.json, body: Self.measurement(invalid.edit))
            #expect(reply.status == 422, "\(reply.text)")
            let outcome = try reply.json()
            #expect(outcome["resourceType"]?.stringValue == "OperationOutcome")
            let issues = outcome["issue"]?.elements ?? []
            let found = issues.map { "\($0["expression"]?.elements.first?.stringValue ?? "-") \($0["code"]?.stringValue ?? "-")" }
            #expect(found == invalid.issues, "\(issues.map { $0["diagnostics"]?.stringValue ?? "" })")
            #expect(issues.allSatisfy { $0["location"]?.elements.first?.stringValue?.hasPrefix("/f:Observation") == true })
            #expect(try await Self.rowCounts(gateway) == before)
        }
    }

    @Test("without the patient's consent to write, the app gets 403 and nothing is stored")
    func noConsent() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            // A consent to read (collect) everything does not let the app write.
            let token = try await gateway.token(patient: "p1", consent: .everything)
            let before = try await Self.rowCounts(gateway)
            let reply = try await gateway.request(.POST, "/fhir/Observation", token: token, headers: Self.json, body: Self.measurement())
            #expect(reply.status == 403)
            #expect(try reply.json()["issue"]?.elements.first?["code"]?.stringValue == "forbidden")
            #expect(try await Self.rowCounts(gateway) == before)
        }
    }

    @Test("a measurement naming another patient is refused with 403 and nothing is stored",
          arguments: ["subject", "performer"])
    func otherPatient(_ element: String) async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            try await Self.consentToWrite(gateway)
            let token = try await gateway.token(patient: "p1")
            let before = try await Self.rowCounts(gateway)
            let body = Self.measurement { object in
                object[element] = element == "subject" ? ["reference": "Patient/p2"] : [["reference": "Patient/p2"]]
            }
            let reply = try await gateway.request(.POST, "/fhir/Observation", token: token, headers: Self.json, body: body)
            #expect(reply.status == 403)
            #expect(!reply.text.contains("p2"))
            #expect(try await Self.rowCounts(gateway) == before)
        }
    }

    @Test("other types cannot be created (405); a body of another type than the path is refused (400); no token is 401")
    func refusedRequests() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            try await Self.consentToWrite(gateway)
            let token = try await gateway.token(patient: "p1")
            let condition = Array(#"{"resourceType": "Condition", "subject": {"reference": "Patient/p1"}}"#.utf8)
            #expect(try await gateway.request(.POST, "/fhir/Condition", token: token, headers: Self.json, body: condition).status == 405)
            #expect(try await gateway.request(.POST, "/fhir/Observation", token: token, headers: Self.json, body: condition).status == 400)
            #expect(try await gateway.request(.POST, "/fhir/Observation", headers: Self.json, body: Self.measurement()).status == 401)
        }
    }

    @Test("an app cannot write a Consent, not even one dressed as the patient's access consent: 405, nothing stored")
    func consentsAreReadOnly() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            try await Self.consentToWrite(gateway)
            let token = try await gateway.token(patient: "p1")
            let before = try await Self.rowCounts(gateway)
            let consent = Array(
                #"""
                {"resourceType": "Consent", "status": "active", "patient": {"reference": "Patient/p1"},
                 "category": [{"coding": [{"system": "http://zorgnet.example/fhir/CodeSystem/consent-category", "code": "access-consent"}]}],
                 "actor": [{"role": {"text": "app"}, "reference": {"display": "evil.example"}}], "action": [{"text": "collect"}]}
                """#.utf8)
            let reply = try await gateway.request(.POST, "/fhir/Consent", token: token, headers: Self.json, body: consent)
            #expect(reply.status == 405)
            #expect(try reply.json()["resourceType"]?.stringValue == "OperationOutcome")
            #expect(try await Self.rowCounts(gateway) == before)
        }
    }

    @Test("every write is audited: the created resource, the patient and the consent that permitted it")
    func audited() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            try await Self.consentToWrite(gateway)
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.POST, "/fhir/Observation", token: token, headers: Self.json, body: Self.measurement())
            let id = try #require(try reply.json()["id"]?.stringValue)
            let event = try #require(try await gateway.auditRecords().last { $0.event.method == "POST" }?.event)
            #expect(event.status == 201)
            #expect(event.patientID == "p1")
            #expect(event.entities == ["Observation/\(id)"])
            #expect(event.decision?.consents.map(\.id) == ["write-p1"])
        }
    }
}
