import Audit
import Auth
import Consent
import FHIR
import Foundation
import GRDB
import PZCImport
import Store
import Testing

@testable import Gateway

/// `POST /fhir` with a `transaction` Bundle over real mutual TLS, as the demo hospital's EPD: a
/// discharge summary lands in the patient's own record with its provenance, all or nothing, once.
@Suite("An EPD pushes a transaction Bundle into a permitting patient's record")
struct PushIntakeTests {
    @Test("a permitted discharge summary is stored: 200 transaction-response, one entry per request, the Patient matched not stored")
    func acceptedSummary() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway)
            let patientsBefore = try await PushFixtures.count(gateway, type: "Patient")
            let reply = try await PushFixtures.push(gateway, try PushFixtures.discharge())
            #expect(reply.status == 200, "\(reply.text)")
            let response = try reply.json()
            #expect(response["type"]?.stringValue == "transaction-response")
            // Patient (matched), Organization, Practitioner, then nine clinical resources: all created.
            #expect(try PushFixtures.statuses(reply) == ["200 OK"] + Array(repeating: "201 Created", count: 11))
            let locations = try PushFixtures.locations(reply)
            #expect(locations[0] == nil, "the record's own id is not sent back")
            #expect(locations[4]?.hasPrefix("Condition/") == true && locations[4]?.hasSuffix("/_history/1") == true)
            #expect(try await PushFixtures.count(gateway, type: "Patient") == patientsBefore)

            // References point at the patient's own record and at the server ids of the other entries.
            let content = try await PushFixtures.read(gateway, locations[4])
            #expect(content["subject"]?["reference"]?.stringValue == "Patient/\(PushFixtures.diabetesPatient)")
            let practitionerID = try #require(locations[2]?.split(separator: "/")[1])
            #expect(content["asserter"]?["reference"]?.stringValue == "Practitioner/\(practitionerID)")
            #expect(!PushFixtures.text(content).contains("urn:uuid"))
        }
    }

    @Test("the pushed data answers the patient's BgZ queries, with its Provenance naming the hospital by URA and name")
    func pushedDataInBgZ() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway)
            let token = try await gateway.token(patient: PushFixtures.diabetesPatient)
            let before = try await gateway.request(.GET, "/fhir/Condition", token: token)
            #expect(try before.json()["total"]?.numberValue?.intValue == 3)
            let reply = try await PushFixtures.push(gateway, try PushFixtures.discharge())
            #expect(reply.status == 200, "\(reply.text)")

            let conditions = try await gateway.request(.GET, "/fhir/Condition", token: token)
            #expect(try conditions.json()["total"]?.numberValue?.intValue == 5)
            let allergies = try await gateway.request(.GET, "/fhir/AllergyIntolerance", token: token)
            #expect(try allergies.json()["total"]?.numberValue?.intValue == 2)
            let medication = try await gateway.request(
                .GET, "/fhir/MedicationStatement?category=urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3%7C6&_include=MedicationStatement:medication",
                token: token)
            #expect(BgZQueryTests.counts(try medication.json()) == ["MedicationStatement:match": 4, "Medication:include": 4])
            let crp = try await gateway.request(.GET, "/fhir/Observation?code=http://loinc.org%7C1988-5&_include=Observation:specimen", token: token)
            #expect(BgZQueryTests.counts(try crp.json()) == ["Observation:match": 1, "Specimen:include": 1])

            let condition = try #require(try PushFixtures.locations(reply)[4])
            let conditionRef = String(condition.split(separator: "/").prefix(2).joined(separator: "/"))
            let provenance = try await gateway.request(.GET, "/fhir/Provenance?target=\(conditionRef)", token: token)
            let entries = try provenance.json()["entry"]?.elements ?? []
            #expect(entries.count == 1, "\(provenance.text)")
            let resource = try #require(entries.first?["resource"])
            let who = resource["agent"]?.elements.first?["whoReference"]
            #expect(who?["identifier"]?["value"]?.stringValue == DevPKI.hospitalDemoURA)
            #expect(who?["display"]?.stringValue == "Demo Ziekenhuis")
            let organization = try #require(who?["reference"]?.stringValue)
            #expect(try PushFixtures.locations(reply)[1]?.hasPrefix(organization + "/") == true)
            #expect(resource["entity"]?.elements.first?["whatIdentifier"]?["value"]?.stringValue == "ontslag-2026-11-14-0042")
            let targets = (resource["target"]?.elements ?? []).compactMap { $0["reference"]?.stringValue }
            #expect(targets.count == 12, "11 created resources and the patient's record")
            #expect(targets.contains(condition))
            let source = try await gateway.request(.GET, "/fhir/\(organization)", token: token)
            #expect(try source.json()["name"]?.stringValue == "Demo Ziekenhuis")
        }
    }

    @Test("an XML transaction is accepted like JSON, and answered in the format asked for")
    func xmlBundle() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway)
            let xml = FHIRFormat.xml.serialize(try FHIRJSON.parseResource(try PushFixtures.discharge()))
            let reply = try await gateway.request(
                .POST, "/fhir", as: .hospitalDemo,
                headers: [("Content-Type", "application/fhir+xml"), ("Accept", "application/fhir+xml")], body: xml)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.header("content-type")?.hasPrefix("application/fhir+xml") == true)
            #expect(reply.text.contains("<type value=\"transaction-response\"/>"))
            #expect(reply.text.components(separatedBy: "201 Created").count - 1 == 11)
        }
    }

    @Test("the original bundle bytes, the party, the identifier and the response are kept in pushed_bundle")
    func bundleKept() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway)
            let body = try PushFixtures.discharge()
            let reply = try await PushFixtures.push(gateway, body)
            #expect(reply.status == 200)
            let kept = try gateway.database.pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM pushed_bundle") }
            let row = try #require(kept)
            #expect((row["bundle_bytes"] as Data) == Data(body))
            #expect((row["response_bytes"] as Data) == Data(reply.body))
            #expect((row["party_id"] as String) == "hospital-demo")
            #expect((row["identifier_value"] as String) == "ontslag-2026-11-14-0042")
            #expect((row["patient_id"] as String) == PushFixtures.diabetesPatient)
        }
    }

    @Test("without the patient's permission, or for an unknown BSN, the same 403 and nothing stored")
    func notPermitted() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            // A permission for another provider, and one to collect, do not let the hospital push.
            try await gateway.recordConsent(ConsentRecord(
                id: "other", patientID: PushFixtures.diabetesPatient, recordedAt: Date(), validity: ConsentPeriod(start: Date(timeIntervalSinceNow: -60)),
                root: Provision(.permit, actors: [.provider(ura: "99999999"), .provider(ura: DevPKI.hospitalDemoURA)], actions: [.collect])))
            let before = try await PushFixtures.rowCounts(gateway)
            let refused = try await PushFixtures.push(gateway, try PushFixtures.discharge())
            #expect(refused.status == 403)
            #expect(try refused.json()["issue"]?.elements.first?["code"]?.stringValue == "forbidden")
            let unknown = try await PushFixtures.push(gateway, try PushFixtures.discharge { object in
                PushFixtures.editEntry(&object, 0) { $0["identifier"] = [["system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "999990019"]] }
            })
            #expect(unknown.status == 403)
            #expect(unknown.text == refused.text, "an unknown BSN looks exactly like no permission")
            #expect(!unknown.text.contains("999990019") && !refused.text.contains("999945592"))
            #expect(try await PushFixtures.rowCounts(gateway) == before)
        }
    }

    @Test("a retry returns the original transaction-response byte for byte and stores nothing; a reused identifier is 409")
    func idempotentRetry() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway)
            let body = try PushFixtures.discharge()
            let first = try await PushFixtures.push(gateway, body)
            #expect(first.status == 200)
            let after = try await PushFixtures.rowCounts(gateway)
            let retry = try await PushFixtures.push(gateway, body)
            #expect(retry.status == 200)
            #expect(retry.body == first.body)
            #expect(try await PushFixtures.rowCounts(gateway) == after)

            let changed = try PushFixtures.discharge { object in PushFixtures.editEntry(&object, 4) { $0["onsetDateTime"] = "2026-11-06" } }
            let conflict = try await PushFixtures.push(gateway, changed)
            #expect(conflict.status == 409)
            #expect(try conflict.json()["issue"]?.elements.first?["code"]?.stringValue == "duplicate")
            #expect(try await PushFixtures.rowCounts(gateway) == after)
        }
    }

    @Test("two identical pushes at the same time store once and both get the same answer")
    func concurrentPushes() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway)
            let conditionsBefore = try await PushFixtures.count(gateway, type: "Condition")
            let body = try PushFixtures.discharge()
            let replies = try await withThrowingTaskGroup(of: RunningGateway.Reply.self) { group in
                for _ in 0..<4 { group.addTask { try await PushFixtures.push(gateway, body) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.map(\.status) == [200, 200, 200, 200])
            #expect(Set(replies.map(\.body)).count == 1)
            #expect(try await PushFixtures.count(gateway, type: "Condition") == conditionsBefore + 2)
            #expect(try await PushFixtures.rowCounts(gateway)["pushed_bundle"] == 1)
            #expect(try await PushFixtures.count(gateway, type: "Provenance") == 1)
        }
    }

    @Test("a conditional create (ifNoneExist) that matches uses the existing resource: 200 OK with its location, nothing created")
    func conditionalCreate() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway)
            let first = try await PushFixtures.push(gateway, try PushFixtures.discharge())
            let organizations = try await PushFixtures.count(gateway, type: "Organization")
            let second = try await PushFixtures.push(gateway, try PushFixtures.discharge { $0["identifier"] = ["system": "urn:example", "value": "second"] })
            #expect(second.status == 200, "\(second.text)")
            let statuses = try PushFixtures.statuses(second)
            #expect(Array(statuses.prefix(3)) == ["200 OK", "200 OK", "200 OK"])
            #expect(try PushFixtures.locations(second)[1] == PushFixtures.locations(first)[1])
            #expect(try await PushFixtures.count(gateway, type: "Organization") == organizations)
            // The new Encounter refers to the Organization that was already there.
            let encounter = try await PushFixtures.read(gateway, try PushFixtures.locations(second)[3])
            let organization = try #require(try PushFixtures.locations(first)[1]).split(separator: "/").prefix(2).joined(separator: "/")
            #expect(encounter["serviceProvider"]?["reference"]?.stringValue == organization)
        }
    }

    @Test("an ifNoneExist matching several resources fails the whole push with 412 and nothing stored")
    func conditionalSeveral() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway)
            try await ConsentTestData.store([
                ["resourceType": "Organization", "id": "dup-1", "identifier": [["system": "http://fhir.nl/fhir/NamingSystem/ura", "value": "90000123"]]],
                ["resourceType": "Organization", "id": "dup-2", "identifier": [["system": "http://fhir.nl/fhir/NamingSystem/ura", "value": "90000123"]]],
            ], in: gateway.database)
            let before = try await PushFixtures.rowCounts(gateway)
            let reply = try await PushFixtures.push(gateway, try PushFixtures.discharge())
            #expect(reply.status == 412)
            #expect(try reply.json()["issue"]?.elements.first?["diagnostics"]?.stringValue?.contains("Bundle.entry[1]") == true)
            #expect(try await PushFixtures.rowCounts(gateway) == before)
        }
    }

    @Test("every entry's problems in one OperationOutcome, located in their entry: 422 and nothing stored")
    func invalidEntries() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway)
            let before = try await PushFixtures.rowCounts(gateway)
            let body = try PushFixtures.discharge { object in
                PushFixtures.editEntry(&object, 4) { $0["severityOfIllness"] = "ernstig" }
                PushFixtures.editEntry(&object, 10) { $0["status"] = "done" }
                PushFixtures.editEntry(&object, 11) { $0["subject"] = nil }
            }
            let reply = try await PushFixtures.push(gateway, body)
            #expect(reply.status == 422, "\(reply.text)")
            let outcome = try reply.json()
            #expect(outcome["resourceType"]?.stringValue == "OperationOutcome")
            let issues = outcome["issue"]?.elements ?? []
            let found = Set(issues.map { "\($0["expression"]?.elements.first?.stringValue ?? "-") \($0["code"]?.stringValue ?? "-")" })
            #expect(found.contains("Bundle.entry[4].resource.severityOfIllness structure"), "\(found)")
            #expect(found.contains("Bundle.entry[10].resource.status code-invalid"), "\(found)")
            #expect(found.contains("Bundle.entry[11].resource business-rule"), "\(found)")
            #expect(issues.allSatisfy { $0["expression"]?.elements.first?.stringValue?.hasPrefix("Bundle.entry[") == true })
            #expect(issues.contains { $0["location"]?.elements.first?.stringValue == "/f:Bundle/f:entry[5]/f:resource/f:Condition/f:severityOfIllness" })
            #expect(try await PushFixtures.rowCounts(gateway) == before)
        }
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let name: String
        let edit: @Sendable (inout FHIRObject) -> Void
        /// A phrase the diagnostics must contain.
        let names: String
        var testDescription: String { name }
    }

    static let malformed: [Malformed] = [
        Malformed(name: "no identifier", edit: { $0["identifier"] = nil }, names: "Bundle.identifier"),
        Malformed(name: "a collection, not a transaction", edit: { $0["type"] = "collection" }, names: "Bundle.type"),
        Malformed(name: "no Patient", edit: { object in
            object["entry"] = .array(Array((object["entry"]?.arrayValue ?? []).dropFirst()))
        }, names: "no Patient"),
        Malformed(name: "a Patient without BSN", edit: { object in PushFixtures.editEntry(&object, 0) { $0["identifier"] = nil } },
                  names: "Bundle.entry[0].resource.identifier"),
        Malformed(name: "a DELETE", edit: { object in
            var entries = object["entry"]?.arrayValue ?? []
            var entry = entries[5].objectValue ?? [:]
            entry["request"] = ["method": "DELETE", "url": "Condition"]
            entries[5] = .object(entry)
            object["entry"] = .array(entries)
        }, names: "Bundle.entry[5].request.method"),
        Malformed(name: "a reference to no entry", edit: { object in
            PushFixtures.editEntry(&object, 5) { $0["subject"] = ["reference": "urn:uuid:00000000-0000-4000-8000-000000000000"] }
        }, names: "Bundle.entry[5].resource.subject"),
        Malformed(name: "a reference into this server's store", edit: { object in
            PushFixtures.editEntry(&object, 5) { $0["subject"] = ["reference": "Patient/pzc-park-patient"] }
        }, names: "Bundle.entry[5].resource.subject"),
    ]

    @Test("a malformed bundle is refused with 400 naming what is wrong, and nothing stored", arguments: malformed)
    func malformedBundle(_ malformed: Malformed) async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway)
            let before = try await PushFixtures.rowCounts(gateway)
            let reply = try await PushFixtures.push(gateway, try PushFixtures.discharge(malformed.edit))
            #expect(reply.status == 400, "\(reply.text)")
            let issues = try reply.json()["issue"]?.elements ?? []
            let said = issues.map { ($0["diagnostics"]?.stringValue ?? "") + " " + ($0["expression"]?.elements.first?.stringValue ?? "") }
            #expect(said.contains { $0.contains(malformed.names) }, "\(said)")
            #expect(!reply.text.contains("999945592"))
            #expect(try await PushFixtures.rowCounts(gateway) == before)
        }
    }

    @Test("only a registered organisation with a URA pushes: a PGO app's certificate gets 403")
    func onlyOrganisations() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway)
            let token = try await gateway.token(patient: PushFixtures.diabetesPatient)
            let before = try await PushFixtures.rowCounts(gateway)
            let reply = try await gateway.request(.POST, "/fhir", as: .pgoDemo, token: token, headers: PushFixtures.json, body: try PushFixtures.discharge())
            #expect(reply.status == 403)
            #expect(try await PushFixtures.rowCounts(gateway) == before)
        }
    }

    @Test("every push is audited: party, patient, entities, decision and outcome; never the BSN or clinical text")
    func audited() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway)
            let accepted = try await PushFixtures.push(gateway, try PushFixtures.discharge())
            let unknown = try await PushFixtures.push(gateway, try PushFixtures.discharge { object in
                object["identifier"] = ["system": "urn:example", "value": "999990019"]
                PushFixtures.editEntry(&object, 0) { $0["identifier"] = [["system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "999990019"]] }
            })
            #expect((accepted.status, unknown.status) == (200, 403))
            let events = try await gateway.auditRecords().map(\.event).filter { $0.method == "POST" && $0.path == "/fhir" }
            #expect(events.count == 2)
            let pushed = events[0]
            #expect(pushed.status == 200)
            #expect(pushed.partyID == "hospital-demo" && pushed.partyKind == "organization")
            #expect(pushed.patientID == PushFixtures.diabetesPatient)
            #expect(pushed.entities.count == 12)
            #expect(pushed.entities.filter { $0.hasPrefix("Provenance/") }.count == 1)
            #expect(pushed.entities.contains(try #require(try PushFixtures.locations(accepted)[4])))
            #expect(pushed.decision?.outcome == .permit)
            #expect(pushed.decision?.consents.map(\.id) == ["push-\(PushFixtures.diabetesPatient)"])
            let refused = events[1]
            #expect(refused.status == 403)
            #expect(refused.patientID == nil)
            #expect(refused.decision?.outcome == .deny)
            for event in events {
                let text = "\(event)"
                #expect(!text.contains("999945592") && !text.contains("999990019"))
                #expect(!text.lowercased().contains("pneumonie") && !text.contains("Ronald"))
            }
            #expect(!gateway.logs.all.contains("999945592"))
        }
    }
}

/// The demo push bundles of `Fixtures/push`, and what the push tests check around them.
enum PushFixtures {
    static let diabetesPatient = "pzc-diab-patient"
    static let json = [("Content-Type", "application/fhir+json")]

    static func bundle(_ name: String) throws -> FHIRObject {
        let pzc = try #require(ProjectResources.demoPZCDirectory)
        let path = ((pzc as NSString).deletingLastPathComponent as NSString).appendingPathComponent("push/\(name).json")
        let data = try #require(FileManager.default.contents(atPath: path), "no fixture \(path)")
        return try #require(try FHIRJSON.parse([UInt8](data)).objectValue)
    }

    /// The accepted discharge summary for the diabetes patient, `edit`ed for a test.
    static func discharge(_ edit: (inout FHIRObject) -> Void = { _ in }) throws -> [UInt8] {
        var object = try bundle("discharge-summary-diabetes")
        edit(&object)
        return FHIRJSON.serialize(.object(object))
    }

    /// Applies `change` to the resource of entry `index`.
    static func editEntry(_ object: inout FHIRObject, _ index: Int, _ change: (inout FHIRObject) -> Void) {
        var entries = object["entry"]?.arrayValue ?? []
        var entry = entries[index].objectValue ?? [:]
        var resource = entry["resource"]?.objectValue ?? [:]
        change(&resource)
        entry["resource"] = .object(resource)
        entries[index] = .object(entry)
        object["entry"] = .array(entries)
    }

    /// The patient's permission for the demo hospital to push, as the portal records it.
    @discardableResult
    static func permitPush(_ gateway: RunningGateway, patient: String = diabetesPatient) async throws -> ConsentRecord {
        let consent = ConsentRecord(
            id: "push-\(patient)", patientID: patient, recordedAt: Date(), validity: ConsentPeriod(start: Date(timeIntervalSinceNow: -60)),
            root: Provision(.permit, actors: [.provider(ura: DevPKI.hospitalDemoURA)], actions: [.push], categories: [.everything]))
        try await gateway.recordConsent(consent)
        return consent
    }

    static func push(_ gateway: RunningGateway, _ body: [UInt8], as party: DevPKI.Party = .hospitalDemo) async throws -> RunningGateway.Reply {
        try await gateway.request(.POST, "/fhir", as: party, headers: json, body: body)
    }

    /// Rows of every table a push writes: what a refused push must leave exactly as it was.
    static func rowCounts(_ gateway: RunningGateway) async throws -> [String: Int] {
        try await gateway.database.pool.read { db in
            var counts: [String: Int] = [:]
            for table in ["resource", "resource_version", "token_index", "reference_index", "patient_compartment", "patient_link", "pushed_bundle"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1
            }
            return counts
        }
    }

    static func count(_ gateway: RunningGateway, type: String) async throws -> Int {
        try await gateway.database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM resource WHERE type = ?", arguments: [type]) ?? -1
        }
    }

    /// The stored resource a transaction-response location (`Type/id/_history/n`) names.
    static func read(_ gateway: RunningGateway, _ location: String?) async throws -> FHIRResource {
        let parts = try #require(location).split(separator: "/")
        let stored = try #require(
            try await ResourceRepository(database: gateway.database).read(type: String(parts[0]), id: String(parts[1]), scope: .everything))
        return try stored.resource()
    }

    /// The statuses of a transaction- or batch-response, in entry order.
    static func statuses(_ reply: RunningGateway.Reply) throws -> [String] {
        try (reply.json()["entry"]?.elements ?? []).map { $0["response"]?["status"]?.stringValue ?? "-" }
    }

    static func locations(_ reply: RunningGateway.Reply) throws -> [String?] {
        try (reply.json()["entry"]?.elements ?? []).map { $0["response"]?["location"]?.stringValue }
    }

    static func text(_ resource: FHIRResource) -> String {
        String(decoding: FHIRJSON.serialize(resource), as: UTF8.self)
    }
}
