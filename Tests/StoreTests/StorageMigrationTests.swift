import FHIR
import Foundation
import GRDB
import Testing

@testable import Store

@Suite("Storage migrations")
struct StorageMigrationTests {
    /// A data directory as v11 left it: resource versions in a WITHOUT ROWID table, a patient with two
    /// versions (the second with a masked view) and a large observation that overflowed its page.
    private func dataDirectoryAtV11() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/gateway.sqlite"
        let queue = try DatabaseQueue(path: path)
        try GatewayDatabase.migrator.migrate(queue, upTo: "v11: share selections")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO resource (resource_key, type, id, current_version, last_updated_ms, created_ms) VALUES
                    (1, 'Patient', 'p1', 2, 1790000000000, 1767225600250),
                    (2, 'Observation', 'o1', 1, 1790000000000, 1790000000000),
                    (3, 'Medication', 'm1', 1, 1790000000000, 1790000000000),
                    (4, 'MedicationStatement', 'ms1', 1, 1790000000000, 1790000000000);
                INSERT INTO resource_version (resource_key, version, last_updated, received_format, received_bytes, content_json, masked_json) VALUES
                    (1, 1, '2026-01-01T00:00:00.250Z', 'xml', CAST(? AS BLOB), CAST(? AS BLOB), NULL),
                    (1, 2, '2026-09-21T14:13:20.000Z', 'json', CAST(? AS BLOB), CAST(? AS BLOB), CAST(? AS BLOB)),
                    (2, 1, '2026-09-21T14:13:20.000Z', 'json', CAST(? AS BLOB), CAST(? AS BLOB), NULL),
                    (3, 1, '2026-09-21T14:13:20.000Z', 'json', x'', CAST(? AS BLOB), NULL),
                    (4, 1, '2026-09-21T14:13:20.000Z', 'json', x'', CAST(? AS BLOB), NULL);
                INSERT INTO patient_compartment (resource_key, patient_id) VALUES (1, 'p1'), (2, 'p1'), (4, 'p1');
                INSERT INTO resource_link (resource_key, target_type, target_id) VALUES (4, 'Medication', 'm1');
                """, arguments: [
                    Fixture.patientXML, Fixture.patientV1, Fixture.patientV2, Fixture.patientV2, Fixture.patientV2Masked,
                    Fixture.observation, Fixture.observation, Fixture.medication, Fixture.statement,
                ])
        }
        try queue.close()
        return path
    }

    @Test("v12 moves every resource version into a rowid table with all its bytes, current and older")
    func resourceVersionsKeepTheirBytes() async throws {
        let path = try dataDirectoryAtV11()
        let database = try GatewayDatabase(path: path)
        defer { try? database.close() }

        let layout = try await database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'resource_version'")
        }
        #expect(layout?.contains("WITHOUT ROWID") == false)

        let repository = ResourceRepository(database: database)
        let current = try #require(try await repository.read(type: "Patient", id: "p1", scope: .everything))
        #expect(current.version == 2)
        #expect(current.contentJSON == Array(Fixture.patientV2.utf8))
        let masked = try #require(try await repository.read(type: "Patient", id: "p1", scope: .patient(id: "p1")))
        #expect(masked.contentJSON == Array(Fixture.patientV2Masked.utf8))
        let older = try #require(try await repository.read(type: "Patient", id: "p1", version: 1, scope: .everything))
        #expect(older.lastUpdated == "2026-01-01T00:00:00.250Z")
        #expect(older.contentJSON == Array(Fixture.patientV1.utf8))
        let history = try #require(try await repository.history(type: "Patient", id: "p1", scope: .everything))
        #expect(history.map(\.version) == [2, 1])
        let observation = try #require(try await repository.read(type: "Observation", id: "o1", scope: .patient(id: "p1")))
        #expect(observation.contentJSON == Array(Fixture.observation.utf8))

        let received = try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT received_format, CAST(received_bytes AS TEXT) AS bytes FROM resource_version WHERE resource_key <= 2 ORDER BY resource_key, version")
                .map { [$0["received_format"] as String, $0["bytes"] as String] }
        }
        #expect(received.map { $0[0] } == ["xml", "json", "json"])
        #expect(received.map { $0[1] } == [Fixture.patientXML, Fixture.patientV2, Fixture.observation])
    }

    @Test("v13 keys every compartment row by patient and the resource's type, and patient-scoped reads still find them")
    func compartmentRowsCarryTheirType() async throws {
        let database = try GatewayDatabase(path: try dataDirectoryAtV11())
        defer { try? database.close() }
        let rows = try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT patient_id, resource_type, resource_key FROM patient_compartment ORDER BY resource_key")
                .map { "\($0["patient_id"] as String) \($0["resource_type"] as String) \($0["resource_key"] as Int64)" }
        }
        #expect(rows == ["p1 Patient 1", "p1 Observation 2", "p1 MedicationStatement 4"])
        let repository = ResourceRepository(database: database)
        #expect(try await repository.read(type: "Observation", id: "o1", scope: .patient(id: "p1")) != nil)
        #expect(try await repository.read(type: "Observation", id: "o1", scope: .patient(id: "p2")) == nil)
    }

    @Test("v14 carries the links of each patient's resources over, so a shared resource stays visible to exactly its patients")
    func linksByPatientAreBackfilled() async throws {
        let database = try GatewayDatabase(path: try dataDirectoryAtV11())
        defer { try? database.close() }
        let links = try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT patient_id, target_type, target_id, resource_key, resource_type FROM patient_link")
                .map { "\($0["patient_id"] as String) \($0["target_type"] as String)/\($0["target_id"] as String) from \($0["resource_type"] as String) \($0["resource_key"] as Int64)" }
        }
        #expect(links == ["p1 Medication/m1 from MedicationStatement 4"])
        let oldLinksTable = try await database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'resource_link'")
        }
        #expect(oldLinksTable == 0, "v16 drops the table nothing reads any more")
        let repository = ResourceRepository(database: database)
        #expect(try await repository.read(type: "Medication", id: "m1", scope: .patient(id: "p1")) != nil)
        #expect(try await repository.read(type: "Medication", id: "m1", scope: .patient(id: "p2")) == nil)
        let search = try await repository.search(
            try SearchQuery.parse(resourceType: "Medication", parameters: []), scope: .patient(id: "p1"),
            page: SearchPage(count: 50, snapshotMilliseconds: .max))
        #expect(search.matches.map(\.id) == ["m1"])
    }

    @Test("after v12 a resource the gateway produced is stored without received bytes, a received one with them")
    func receivedBytesOnlyWhenReceived() async throws {
        let database = try GatewayDatabase(path: try dataDirectoryAtV11())
        defer { try? database.close() }
        let repository = ResourceRepository(database: database)
        let produced = try FHIRResource(["resourceType": "Observation", "id": "o2", "status": "final", "subject": ["reference": "Patient/p1"]])
        let received = try FHIRResource(["resourceType": "Observation", "id": "o3", "status": "final", "subject": ["reference": "Patient/p1"]])
        let receivedXML = Array(#"<Observation xmlns="http://hl7.org/fhir"><id value="o3"/></Observation>"#.utf8)
        try await database.pool.write { db in
            _ = try repository.store(
                [.produced(produced), IncomingResource(resource: received, receivedFormat: .xml, receivedBytes: receivedXML)],
                in: db, at: Date())
        }
        let rows = try await database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.id, v.received_format, v.received_bytes FROM resource r JOIN resource_version v USING (resource_key)
                WHERE r.id IN ('o2', 'o3') ORDER BY r.id
                """).map { ($0["id"] as String, $0["received_format"] as String?, ($0["received_bytes"] as Data?).map(Array.init)) }
        }
        #expect(rows.count == 2)
        #expect(rows.first?.1 == nil && rows.first?.2 == nil)
        #expect(rows.last?.1 == "xml" && rows.last?.2 == receivedXML)
        let stored = try #require(try await repository.read(type: "Observation", id: "o2", scope: .patient(id: "p1")))
        #expect(try stored.resource().id == "o2")
    }

    @Test("v12 keeps versions immutable by key: a second version 2 of a resource is refused")
    func versionKeyStaysUnique() async throws {
        let database = try GatewayDatabase(path: try dataDirectoryAtV11())
        defer { try? database.close() }
        await #expect(throws: DatabaseError.self) {
            try await database.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO resource_version (resource_key, version, last_updated, content_json, received_format, received_bytes)
                    VALUES (1, 2, '2026-10-01T00:00:00Z', x'7b7d', 'json', x'7b7d')
                    """)
            }
        }
    }

    private enum Fixture {
        static let patientXML = #"<Patient xmlns="http://hl7.org/fhir"><id value="p1"/></Patient>"#
        static let patientV1 = #"{"resourceType":"Patient","id":"p1","meta":{"versionId":"1"}}"#
        static let patientV2 = #"{"resourceType":"Patient","id":"p1","meta":{"versionId":"2"},"identifier":[{"system":"http://fhir.nl/fhir/NamingSystem/bsn","value":"999911120"}]}"#
        static let patientV2Masked = #"{"resourceType":"Patient","id":"p1","meta":{"versionId":"2"},"identifier":[{"system":"http://fhir.nl/fhir/NamingSystem/bsn","value":"******120"}]}"#
        static let medication = #"{"resourceType":"Medication","id":"m1","meta":{"versionId":"1"},"code":{"text":"metformine"}}"#
        static let statement = #"{"resourceType":"MedicationStatement","id":"ms1","meta":{"versionId":"1"},"status":"active","medicationReference":{"reference":"Medication/m1"},"subject":{"reference":"Patient/p1"},"taken":"y"}"#
        /// Larger than a page, so it overflowed in v11 and overflows again in v12.
        static let observation = #"{"resourceType":"Observation","id":"o1","meta":{"versionId":"1"},"status":"final","subject":{"reference":"Patient/p1"},"note":[{"text":""# + String(repeating: "meting ", count: 900) + #""}]}"#
    }
}
