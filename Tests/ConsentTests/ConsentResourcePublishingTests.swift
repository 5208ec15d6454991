import FHIR
import Foundation
import GRDB
import Store
import Testing

@testable import Consent

/// Recording a consent version also stores it as `Consent/<id>` version n in the resource store, in
/// the same transaction, so the patient's token can search and read it like any resource.
@Suite("Consent versions published as Consent resources")
struct ConsentResourcePublishingTests {
    private func withStores(_ body: (ConsentRepository, ResourceRepository, GatewayDatabase) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("consent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try GatewayDatabase(path: directory.appendingPathComponent("gateway.sqlite").path)
        try await body(ConsentRepository(database: database), ResourceRepository(database: database), database)
        try database.close()
    }

    private let medication = Provision(.permit, actors: [Fixture.app], actions: [.collect], categories: [.medication])

    @Test("each recorded version is the same version of the Consent resource, rendered from it")
    func versionsAlign() async throws {
        try await withStores { consents, resources, _ in
            let consent = Fixture.record("c1", medication)
            try await consents.record(consent)
            try await consents.record(consent.revoked(at: Fixture.now))
            let history = try #require(try await resources.history(type: "Consent", id: "c1", scope: .patient(id: "p1")))
            #expect(history.map(\.version) == [2, 1])
            let current = try #require(history.first).resource()
            #expect(current["status"]?.stringValue == "inactive")
            #expect(ConsentRecord.isAccessConsent(current))
            var expected = try consent.revoked(at: Fixture.now).fhirConsent()
            expected.lastUpdated = current.lastUpdated
            #expect(current == expected)
        }
    }

    @Test("an id taken by a Consent that is no access consent is refused, and neither store changes")
    func collisionWithDirective() async throws {
        try await withStores { consents, resources, _ in
            let directive = Fixture.resource([
                "resourceType": "Consent", "id": "w1", "status": "active", "patient": ["reference": "Patient/p1"],
                "category": [Fixture.coding("http://snomed.info/sct", "11341000146107")],
            ])
            _ = try await resources.store([IncomingResource(resource: directive, receivedFormat: .json, receivedBytes: FHIRJSON.serialize(directive))])
            await #expect(throws: ConsentRepositoryError.resourceIDInUse(consentID: "w1")) {
                try await consents.record(Fixture.record("w1", medication))
            }
            #expect(try await consents.history(id: "w1").isEmpty)
            #expect(try await resources.read(type: "Consent", id: "w1", scope: .everything)?.version == 1)
        }
    }

    @Test("an id that is no FHIR id is refused before anything is stored")
    func invalidID() async throws {
        try await withStores { consents, _, _ in
            await #expect(throws: StoreError.invalidID("c 1")) { try await consents.record(Fixture.record("c 1", medication)) }
            let history = try await consents.history(id: "c 1")
            #expect(history.isEmpty)
        }
    }

    @Test("versions recorded before publishing existed are caught up by the next version")
    func catchUp() async throws {
        try await withStores { consents, resources, database in
            let consent = Fixture.record("c1", medication)
            // A version 1 as an older gateway wrote it: the consent row only.
            let json = try JSONEncoder.consentRecords.encode(consent)
            try await database.pool.write { db in
                try db.execute(
                    sql: "INSERT INTO consent_version (consent_id, version, patient_id, status, recorded_at_ms, record_json) VALUES (?, 1, 'p1', 'active', 0, ?)",
                    arguments: ["c1", json])
            }
            #expect(try await resources.read(type: "Consent", id: "c1", scope: .everything) == nil)
            try await consents.record(consent.revoked(at: Fixture.now))
            let history = try #require(try await resources.history(type: "Consent", id: "c1", scope: .everything))
            #expect(history.map(\.version) == [2, 1])
            #expect(try history.last?.resource()["status"]?.stringValue == "active")
        }
    }
}

extension JSONEncoder {
    /// How ``ConsentRepository`` encodes records (sorted keys, dates in milliseconds).
    static var consentRecords: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }
}
