import FHIR
import Foundation
import GRDB
import Testing

@testable import Store

@Suite("Keyset paging, :exact and the v3 migration")
struct SearchPagingTests {
    /// All pages of `query`, following the cursors, with the total each page reported; `between`
    /// runs after the first page.
    static func allPages(
        _ repository: ResourceRepository, _ query: SearchQuery, scope: AccessScope = .everything, count: Int,
        between: () async throws -> Void = {}
    ) async throws -> (ids: [String], totals: [Int]) {
        var page = try await repository.search(query, scope: scope, page: SearchPage(count: count, snapshotMilliseconds: Instant.milliseconds(Date())))
        var ids = page.matches.map(\.id)
        var totals = [page.total]
        try await between()
        while let next = page.next, totals.count < 50 {
            page = try await repository.search(query, scope: scope, page: SearchPage(count: count, after: next))
            ids += page.matches.map(\.id)
            totals.append(page.total)
        }
        return (ids, totals)
    }

    @Test("a resource updated mid-paging is seen exactly once and the total does not change", arguments: ["", "date", "-date", "_id"])
    func updateWhilePaging(_ sort: String) async throws {
        let repository = try await Population.seed(try makeDatabase())
        let query = try SearchQuery.parse(resourceType: "Observation", parameters: sort.isEmpty ? [] : [("_sort", sort)])
        let whole = try await repository.search(query, scope: .everything, page: SearchPage(count: 100, snapshotMilliseconds: .max))
        let firstID = whole.matches[0].id
        let (ids, totals) = try await Self.allPages(repository, query, count: 2) {
            // Touch the first resource of page 1: with offset paging and `last_updated <= snapshot` it vanished.
            let current = try #require(try await repository.read(type: "Observation", id: firstID, scope: .everything))
            var resource = try current.resource()
            resource["status"] = "amended"
            _ = try await repository.store([IncomingResource(resource: resource, receivedFormat: .json, receivedBytes: [])], at: Date().addingTimeInterval(1))
        }
        #expect(ids == whole.matches.map(\.id))
        #expect(Set(totals) == [whole.total])
    }

    @Test("a resource created after the first page is on no page and not in the total")
    func insertAfterSnapshot() async throws {
        let repository = try await Population.seed(try makeDatabase())
        let query = try SearchQuery.parse(resourceType: "Observation", parameters: [("_sort", "date")])
        let (ids, totals) = try await Self.allPages(repository, query, count: 3) {
            _ = try await repository.store(
                [try incoming(Population.observation("o0", subject: "Patient/p1", code: nil, effective: "2030", systolic: nil))],
                at: Date().addingTimeInterval(5))
        }
        #expect(!ids.contains("o0"))
        #expect(Set(ids).count == ids.count)
        #expect(Set(totals) == [7])
        #expect(ids.count == 7)
    }

    @Test("_sort=-date pages give the order of one big page, missing dates last")
    func descendingDates() async throws {
        let repository = try await Population.seed(try makeDatabase())
        let query = try SearchQuery.parse(resourceType: "Observation", parameters: [("_sort", "-date")])
        let whole = try await repository.search(query, scope: .everything, page: SearchPage(count: 100, snapshotMilliseconds: .max))
        #expect(whole.matches.last?.id == "o6")
        for count in 1...3 {
            #expect(try await Self.allPages(repository, query, count: count).ids == whole.matches.map(\.id))
        }
    }

    @Test("a cursor never widens the scope, and one that does not fit the query is refused")
    func cursorSafety() async throws {
        let repository = try await Population.seed(try makeDatabase())
        let query = try SearchQuery.parse(resourceType: "Observation", parameters: [])
        let everything = try await repository.search(query, scope: .everything, page: SearchPage(count: 1, snapshotMilliseconds: .max))
        let cursor = try #require(everything.next)
        let scoped = try await repository.search(query, scope: .patient(id: "p1"), page: SearchPage(count: 100, after: cursor))
        #expect(Set(scoped.matches.map(\.id)).isSubset(of: ["o1", "o2", "o3"]))
        #expect(scoped.total == 3)

        let sorted = try SearchQuery.parse(resourceType: "Observation", parameters: [("_sort", "date")])
        await #expect(throws: SearchCursorError.doesNotFitQuery) {
            _ = try await repository.search(sorted, scope: .everything, page: SearchPage(count: 1, after: cursor))
        }
        #expect(throws: SearchCursorError.malformed) { _ = try SearchCursor(token: "not-a-cursor") }
        #expect(try SearchCursor(token: cursor.token) == cursor)
    }

    @Test(":exact compares case and accents as written; the default search does not", arguments: [
        ("family:exact=JANSEN", [String]()), ("family:exact=Jansen", ["p1"]), ("family:exact=muller", []),
        ("family:exact=Müller", ["p2"]), ("family=JANSEN", ["p1"]), ("family:contains=ULL", ["p2"]),
    ])
    func exact(_ parameter: String, _ expected: [String]) async throws {
        let repository = try await Population.seed(try makeDatabase())
        let parts = parameter.split(separator: "=", maxSplits: 1).map(String.init)
        let query = try SearchQuery.parse(resourceType: "Patient", parameters: [(parts[0], parts[1])])
        let result = try await repository.search(query, scope: .everything, page: SearchPage(count: 10, snapshotMilliseconds: .max))
        #expect(result.matches.map(\.id) == expected)
    }

    @Test("the v3 migration backfills creation times, exact strings, compartments and local-only links")
    func migrationBackfill() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-migration-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/gateway.sqlite"
        do {
            // A data directory as v2 left it: compartment only by `subject`, an absolute link, no exact strings.
            let queue = try DatabaseQueue(path: path)
            try GatewayDatabase.migrator.migrate(queue, upTo: "v2: masked view for PGO apps")
            try await queue.write { db in
                let patient = #"{"resourceType":"Patient","id":"p1","meta":{"versionId":"2"},"name":[{"family":"Jansen"}],"generalPractitioner":[{"reference":"https://other.example/fhir/Practitioner/gp2"}]}"#
                let allergy = #"{"resourceType":"AllergyIntolerance","id":"a1","meta":{"versionId":"1"},"patient":{"reference":"Patient/p1"}}"#
                try db.execute(sql: """
                    INSERT INTO resource (resource_key, type, id, current_version, last_updated_ms) VALUES
                        (1, 'Patient', 'p1', 2, 1790000000000), (2, 'AllergyIntolerance', 'a1', 1, 1790000000000);
                    INSERT INTO resource_version (resource_key, version, last_updated, received_format, received_bytes, content_json) VALUES
                        (1, 1, '2026-01-01T00:00:00.250Z', 'json', x'', CAST(? AS BLOB)),
                        (1, 2, '2026-09-21T14:13:20.000Z', 'json', x'', CAST(? AS BLOB)),
                        (2, 1, '2026-09-21T14:13:20.000Z', 'json', x'', CAST(? AS BLOB));
                    INSERT INTO patient_compartment (resource_key, patient_id) VALUES (1, 'p1');
                    INSERT INTO resource_link (resource_key, target_type, target_id) VALUES (1, 'Practitioner', 'gp2');
                    INSERT INTO string_index (resource_key, param, value) VALUES (1, 'family', 'jansen');
                    """, arguments: [patient, patient, allergy])
            }
            try queue.close()
        }
        let database = try GatewayDatabase(path: path)
        let facts = try await database.pool.read { db in
            (
                try Int64.fetchOne(db, sql: "SELECT created_ms FROM resource WHERE resource_key = 1"),
                try String.fetchAll(db, sql: "SELECT value_exact FROM string_index WHERE resource_key = 1 AND param = 'family'"),
                try String.fetchAll(db, sql: "SELECT patient_id FROM patient_compartment WHERE resource_key = 2"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM patient_link WHERE target_type = 'Practitioner'")
            )
        }
        #expect(facts.0 == Instant.milliseconds(parsing: "2026-01-01T00:00:00.250Z"))
        #expect(facts.1 == ["Jansen"])
        #expect(facts.2 == ["p1"])
        #expect(facts.3 == 0)
    }
}
