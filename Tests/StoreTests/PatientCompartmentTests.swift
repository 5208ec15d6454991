import FHIR
import Foundation
import GRDB
import Testing

@testable import Store

/// The store's side of "a token can read its own patient's data and nothing else".
@Suite("Patient compartment and deny-by-default visibility")
struct PatientCompartmentTests {
    /// Resources of p2 (and of nobody) that p1's own data points at: before the STU3 compartment
    /// table they had no compartment row and counted as "shared", so p1 could read them.
    static let crossPatient: [FHIRValue] = [
        ["resourceType": "Patient", "id": "p1"],
        ["resourceType": "Patient", "id": "p2"],
        ["resourceType": "Coverage", "id": "cov2", "status": "active", "subscriber": ["reference": "Patient/p2"]],
        ["resourceType": "AllergyIntolerance", "id": "al2", "patient": ["reference": "Patient/p2/_history/1"]],
        ["resourceType": "Condition", "id": "c2", "subject": ["reference": "https://gateway.example/fhir/Patient/p2"]],
        ["resourceType": "Observation", "id": "orphan", "status": "final", "code": ["text": "no subject"]],
        ["resourceType": "Practitioner", "id": "gp2"],
        ["resourceType": "Binary", "id": "bin1", "contentType": "text/plain", "content": "aGk="],
        ["resourceType": "Binary", "id": "bin2", "contentType": "text/plain", "content": "aGk="],
        [
            "resourceType": "List", "id": "l1", "status": "current", "mode": "working", "subject": ["reference": "Patient/p1"],
            "entry": [
                ["item": ["reference": "Coverage/cov2"]], ["item": ["reference": "AllergyIntolerance/al2"]],
                ["item": ["reference": "Condition/c2"]], ["item": ["reference": "Observation/orphan"]],
                ["item": ["reference": "https://other.example/fhir/Practitioner/gp2"]], ["item": ["reference": "Binary/bin2"]],
            ],
        ],
        [
            "resourceType": "DocumentReference", "id": "d1", "status": "current", "subject": ["reference": "Patient/p1"],
            "type": ["text": "note"], "indexed": "2026-01-01T00:00:00Z",
            "content": [["attachment": ["contentType": "text/plain", "url": "Binary/bin1"]]],
        ],
    ]

    static func seed(references: LocalReferences = LocalReferences(baseURLs: ["https://gateway.example/fhir/"])) async throws
        -> ResourceRepository
    {
        let repository = ResourceRepository(database: try makeDatabase(), references: references)
        _ = try await repository.store(try crossPatient.map(incoming))
        return repository
    }

    @Test("every type the search registry or the zib mapping knows has an entry in the compartment table")
    func tableIsComplete() {
        let mapped = [
            "Patient", "Practitioner", "RelatedPerson", "Coverage", "Condition", "AllergyIntolerance", "MedicationStatement",
            "MedicationRequest", "MedicationDispense", "Immunization", "Flag", "Consent", "Observation", "Specimen",
            "DeviceUseStatement", "Device", "Encounter", "Procedure", "NutritionOrder", "DocumentReference", "Binary",
            "Questionnaire", "QuestionnaireResponse", "ProcedureRequest", "ImmunizationRecommendation", "Appointment",
            "DeviceRequest", "DiagnosticReport", "CarePlan", "Goal", "List", "Composition", "FamilyMemberHistory",
        ]
        let missing = Set(SearchParameterRegistry.stu3.resourceTypes + mapped).filter { PatientCompartment.paths[$0] == nil }
        #expect(missing.isEmpty, "no compartment entry for \(missing.sorted())")
    }

    @Test("compartment membership follows the spec's parameters and normalises references", arguments: [
        ("Coverage", "cov2", ["p2"]), ("AllergyIntolerance", "al2", ["p2"]), ("Condition", "c2", ["p2"]),
        ("Observation", "orphan", []), ("List", "l1", ["p1"]), ("Practitioner", "gp2", []),
    ])
    func membership(_ type: String, _ id: String, _ expected: [String]) async throws {
        let repository = try await Self.seed()
        let patients = try await repository.database.pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT pc.patient_id FROM patient_compartment pc JOIN resource r ON r.resource_key = pc.resource_key
                    WHERE r.type = ? AND r.id = ? ORDER BY pc.patient_id
                    """,
                arguments: [type, id])
        }
        #expect(patients == expected)
    }

    @Test("p1's data pointing at another patient's resource, or at an unowned non-shared one, reveals nothing", arguments: [
        ("Coverage", "cov2"), ("AllergyIntolerance", "al2"), ("Condition", "c2"), ("Observation", "orphan"),
        ("Practitioner", "gp2"), ("Binary", "bin2"),
    ])
    func denied(_ type: String, _ id: String) async throws {
        let repository = try await Self.seed()
        #expect(try await repository.read(type: type, id: id, scope: .patient(id: "p1")) == nil)
        #expect(try await repository.read(type: type, id: id, scope: .everything) != nil)
        let page = SearchPage(count: 50, snapshotMilliseconds: .max)
        let searched = try await repository.search(SearchQuery.parse(resourceType: type, parameters: []), scope: .patient(id: "p1"), page: page)
        #expect(!searched.matches.map(\.id).contains(id))
    }

    @Test("a Binary is shared only through a visible DocumentReference")
    func binaryThroughDocument() async throws {
        let repository = try await Self.seed()
        #expect(try await repository.read(type: "Binary", id: "bin1", scope: .patient(id: "p1")) != nil)
        let page = SearchPage(count: 50, snapshotMilliseconds: .max)
        let searched = try await repository.search(SearchQuery.parse(resourceType: "Binary", parameters: []), scope: .patient(id: "p1"), page: page)
        #expect(searched.matches.map(\.id) == ["bin1"])
        #expect(try await repository.read(type: "Binary", id: "bin1", scope: .patient(id: "p2")) == nil)
    }

    @Test("absolute references are local only under this server's own base")
    func localReferences() {
        let references = LocalReferences(baseURLs: ["https://gateway.example/fhir/"])
        #expect(references.target("Patient/p2") == .init(type: "Patient", id: "p2"))
        #expect(references.target("Patient/p2/_history/1") == .init(type: "Patient", id: "p2"))
        #expect(references.target("HTTPS://Gateway.Example/fhir/Patient/p2") == .init(type: "Patient", id: "p2"))
        #expect(references.target("https://other.example/fhir/Patient/p2") == nil)
        #expect(references.target("https://gateway.example/fhir/x/Patient/p2") == nil)
        #expect(references.target("#contained") == nil)
        #expect(references.target("urn:uuid:8c8e7bb4-2d7e-4b54-a0b1-3c0fdc3f8b44") == nil)
        #expect(references.target("Patient?identifier=x") == nil)
    }

    @Test("a historic version that belonged to another patient is not served under a patient scope")
    func historicVersions() async throws {
        let repository = ResourceRepository(database: try makeDatabase())
        let observation = { (subject: String) -> FHIRValue in
            ["resourceType": "Observation", "id": "moved", "status": "final", "code": ["text": "x"], "subject": ["reference": .string(subject)]]
        }
        _ = try await repository.store([try incoming(observation("Patient/p2"))])
        _ = try await repository.store([try incoming(observation("Patient/p1"))])
        #expect(try await repository.read(type: "Observation", id: "moved", scope: .patient(id: "p1"))?.version == 2)
        #expect(try await repository.read(type: "Observation", id: "moved", version: 2, scope: .patient(id: "p1")) != nil)
        #expect(try await repository.read(type: "Observation", id: "moved", version: 1, scope: .patient(id: "p1")) == nil)
        #expect(try await repository.history(type: "Observation", id: "moved", scope: .patient(id: "p1"))?.map(\.version) == [2])
        #expect(try await repository.history(type: "Observation", id: "moved", scope: .patient(id: "p2")) == nil)
        #expect(try await repository.history(type: "Observation", id: "moved", scope: .everything)?.map(\.version) == [2, 1])
    }

    @Test("a patient-scoped search starts from the patient's compartment rows, not from all resources of the type")
    func queryPlanUsesCompartment() async throws {
        let repository = try await Population.seed(try makeDatabase())
        for (type, parameters) in [("Observation", [("code", "http://loinc.org|85354-9"), ("_sort", "-date")]), ("Practitioner", [])] {
            let query = try SearchQuery.parse(resourceType: type, parameters: parameters)
            let statement = try SearchStatement(query: query, scope: .patient(id: "p1"), snapshotMilliseconds: .max, after: nil, limit: 11)
            for (sql, arguments) in [(statement.sql, statement.arguments), (statement.countSQL, statement.countArguments)] {
                let plan = try await repository.database.pool.read { db in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
                }
                #expect(plan.contains { $0.contains("pc USING PRIMARY KEY (patient_id=?") }, "\(plan)")
                #expect(!plan.contains { $0.hasPrefix("SCAN r") }, "\(plan)")
            }
        }
    }
}
