import FHIR
import Foundation
import GRDB
import Store
import Testing

/// The store side of an EPD push: one write transaction for everything, or nothing.
@Suite("Push commits are all or nothing, and kept once per identifier")
struct PushStoreTests {
    static let identifier = PushIdentifier(system: "urn:example", value: "push-1")

    static func database() async throws -> GatewayDatabase {
        let database = try makeDatabase()
        try await PartyRegistry(database: database).register(
            Party(partyID: "zkh", kind: .organization, displayName: "Ziekenhuis", ura: "90000999"),
            certificate: PartyCertificate(fingerprintSHA256: "aa", partyID: "zkh", subject: "CN=zkh", notValidAfter: "2030-01-01T00:00:00.000Z"))
        _ = try await ResourceRepository(database: database).store([try incoming(Population.patient("p1", family: "Jansen", given: "Jan", gender: "male", birthDate: "1958"))])
        return database
    }

    static func condition(_ id: String, subject: String) throws -> PushEntry {
        let value: FHIRValue = ["resourceType": "Condition", "id": .string(id), "subject": ["reference": .string(subject)], "code": ["text": "x"]]
        return PushEntry(bundleIndex: 0, incoming: try incoming(value))
    }

    static func commit(_ entries: [PushEntry], bundle: FHIRResource? = nil) throws -> PushCommit {
        let bundle = try bundle ?? FHIRResource(["resourceType": "Bundle", "type": "transaction"])
        return PushCommit(
            partyID: "zkh", identifier: identifier, patientID: "p1", bundle: bundle, bundleFormat: .json,
            bundleBytes: FHIRJSON.serialize(bundle), entries: entries,
            provenance: { outcomes in
                let targets: [FHIRValue] = outcomes.map { ["reference": .string($0.stored.reference)] } + [["reference": "Patient/p1"]]
                return try! FHIRResource(["resourceType": "Provenance", "id": "prov-1", "target": .array(targets), "recorded": "2026-01-01T00:00:00Z"])
            },
            response: { outcomes, _ in PushResponse(format: .json, bytes: Array("\(outcomes.count)".utf8)) })
    }

    static func counts(_ database: GatewayDatabase) async throws -> [Int] {
        try await database.pool.read { db in
            try ["resource", "resource_version", "patient_compartment", "pushed_bundle"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1 }
        }
    }

    @Test("an entry outside the patient's record, after one already written, rolls the whole push back")
    func rollback() async throws {
        let database = try await Self.database()
        let store = PushStore(repository: ResourceRepository(database: database))
        let before = try await Self.counts(database)
        var stray = try Self.condition("c2", subject: "Patient/p2")
        stray.bundleIndex = 1
        await #expect(throws: PushCommitError.compartmentMismatch(bundleIndex: 1)) {
            try await store.commit(try Self.commit([try Self.condition("c1", subject: "Patient/p1"), stray]))
        }
        #expect(try await Self.counts(database) == before)
    }

    @Test("the same bundle again is a replay with the kept response; another bundle under the identifier is refused")
    func replay() async throws {
        let database = try await Self.database()
        let store = PushStore(repository: ResourceRepository(database: database))
        let first = try await store.commit(try Self.commit([try Self.condition("c1", subject: "Patient/p1")]))
        guard case .committed(let receipt) = first else {
            Issue.record("expected a commit, got \(first)")
            return
        }
        #expect(receipt.created == ["Condition/c1/_history/1"])
        let after = try await Self.counts(database)
        let again = try await store.commit(try Self.commit([try Self.condition("c9", subject: "Patient/p1")]))
        guard case .replayed(let kept) = again else {
            Issue.record("expected a replay, got \(again)")
            return
        }
        #expect(kept.response == receipt.response)
        #expect(kept.pushID == receipt.pushID)
        let other = try FHIRResource(["resourceType": "Bundle", "type": "transaction", "id": "other"])
        await #expect(throws: PushCommitError.identifierReused(Self.identifier)) {
            try await store.commit(try Self.commit([try Self.condition("c8", subject: "Patient/p1")], bundle: other))
        }
        #expect(try await Self.counts(database) == after)
    }

    @Test("kept pushes are never changed or deleted")
    func keptForever() async throws {
        let database = try await Self.database()
        _ = try await PushStore(repository: ResourceRepository(database: database)).commit(try Self.commit([try Self.condition("c1", subject: "Patient/p1")]))
        await #expect(throws: DatabaseError.self) {
            try await database.pool.write { db in try db.execute(sql: "UPDATE pushed_bundle SET patient_id = 'p2'") }
        }
        await #expect(throws: DatabaseError.self) {
            try await database.pool.write { db in try db.execute(sql: "DELETE FROM pushed_bundle") }
        }
    }

    /// Each push prepares its entries before the write transaction from a read of the conditional
    /// creates; pushes that race for the same new Organization must still create it once, and every
    /// push but the first must refer to that one (the write finds the match and prepares anew).
    @Test("concurrent pushes with the same conditional Organization create it once and all refer to it")
    func racingConditionalCreates() async throws {
        let database = try await Self.database()
        let store = PushStore(repository: ResourceRepository(database: database))
        let ura = "http://fhir.nl/fhir/NamingSystem/ura"
        let ifNoneExist = try SearchQuery.parse(resourceType: "Organization", parameters: [("identifier", "\(ura)|12345678")])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<8 {
                group.addTask {
                    let organization = PushEntry(
                        bundleIndex: 0,
                        incoming: try incoming([
                            "resourceType": "Organization", "id": .string("org-\(n)"),
                            "identifier": [["system": .string(ura), "value": "12345678"]], "name": "Ziekenhuis",
                        ]),
                        ifNoneExist: ifNoneExist)
                    let condition = PushEntry(
                        bundleIndex: 1,
                        incoming: try incoming([
                            "resourceType": "Condition", "id": .string("c-\(n)"), "subject": ["reference": "Patient/p1"],
                            "asserter": ["reference": .string("Organization/org-\(n)")], "code": ["text": "x"],
                        ]))
                    var push = try Self.commit([organization, condition])
                    push.identifier = PushIdentifier(system: "urn:example", value: "race-\(n)")
                    push.provenance = { outcomes in
                        let targets: [FHIRValue] = outcomes.map { ["reference": .string($0.stored.reference)] } + [["reference": "Patient/p1"]]
                        return try! FHIRResource(["resourceType": "Provenance", "id": .string("prov-\(n)"), "target": .array(targets), "recorded": "2026-01-01T00:00:00Z"])
                    }
                    _ = try await store.commit(push)
                }
            }
            try await group.waitForAll()
        }
        let (organizations, asserters) = try await database.pool.read { db in
            (
                try String.fetchAll(db, sql: "SELECT id FROM resource WHERE type = 'Organization'"),
                try String.fetchAll(
                    db, sql: """
                        SELECT json_extract(v.content_json, '$.asserter.reference') FROM resource r
                        JOIN resource_version v ON v.resource_key = r.resource_key WHERE r.type = 'Condition'
                        """)
            )
        }
        #expect(organizations.count == 1)
        #expect(asserters.count == 8)
        #expect(Set(asserters) == Set(organizations.map { "Organization/\($0)" }))
    }
}
