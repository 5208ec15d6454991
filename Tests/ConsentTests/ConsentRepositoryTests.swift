import Foundation
import GRDB
import Store
import Testing

@testable import Consent

@Suite("Consent repository: versions kept in SQLite, never changed")
struct ConsentRepositoryTests {
    private func withRepository(_ body: (ConsentRepository, GatewayDatabase) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("consent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try GatewayDatabase(path: directory.appendingPathComponent("gateway.sqlite").path)
        try await body(ConsentRepository(database: database), database)
        try database.close()
    }

    private let medicationOnly = Provision(
        .permit, actors: [Fixture.app], actions: [.collect], categories: [.medication],
        provisions: [Provision(.deny, categories: [.medication], dataPeriod: ConsentPeriod(end: Fixture.date("2020-01-01")))])

    @Test("A recorded consent reads back equal, nested provisions and periods included")
    func roundTrip() async throws {
        try await withRepository { consents, _ in
            let consent = Fixture.record("c1", medicationOnly)
            try await consents.record(consent)
            #expect(try await consents.latest(id: "c1") == consent)
            #expect(try await consents.consentsInForce(patientID: "p1", at: Fixture.now) == [consent])
        }
    }

    @Test("Revocation is a new version: the old one stays readable, the consent is no longer in force")
    func revocationIsANewVersion() async throws {
        try await withRepository { consents, _ in
            let consent = Fixture.record("c1", medicationOnly)
            try await consents.record(consent)
            try await consents.record(consent.revoked(at: Fixture.now))
            let history = try await consents.history(id: "c1")
            #expect(history.map(\.version) == [1, 2])
            #expect(history.map(\.status) == [.active, .inactive])
            #expect(try await consents.consentsInForce(patientID: "p1", at: Fixture.now).isEmpty)
            #expect(try await consents.latestVersions(patientID: "p1").map(\.version) == [2])
        }
    }

    @Test("A version that does not follow the latest one is refused and nothing is stored")
    func versionsFollowEachOther() async throws {
        try await withRepository { consents, _ in
            let consent = Fixture.record("c1", medicationOnly)
            await #expect(throws: ConsentRepositoryError.versionOutOfSequence(consentID: "c1", expected: 1, got: 2)) {
                try await consents.record(Fixture.record("c1", version: 2, medicationOnly))
            }
            try await consents.record(consent)
            await #expect(throws: ConsentRepositoryError.versionOutOfSequence(consentID: "c1", expected: 2, got: 1)) {
                try await consents.record(consent)
            }
            #expect(try await consents.history(id: "c1").count == 1)
        }
    }

    @Test("A later version cannot move a consent to another patient")
    func patientNeverChanges() async throws {
        try await withRepository { consents, _ in
            try await consents.record(Fixture.record("c1", medicationOnly))
            await #expect(throws: ConsentRepositoryError.patientChanged(consentID: "c1")) {
                try await consents.record(Fixture.record("c1", version: 2, patient: "p2", medicationOnly))
            }
        }
    }

    @Test("Stored versions cannot be updated or deleted, even with plain SQL")
    func storedVersionsAreImmutable() async throws {
        try await withRepository { consents, database in
            try await consents.record(Fixture.record("c1", medicationOnly))
            #expect(throws: DatabaseError.self) {
                try database.pool.write { try $0.execute(sql: "UPDATE consent_version SET status = 'active'") }
            }
            #expect(throws: DatabaseError.self) {
                try database.pool.write { try $0.execute(sql: "DELETE FROM consent_version") }
            }
            #expect(try await consents.history(id: "c1").count == 1)
        }
    }

    @Test("Only consents valid at the moment asked about are in force")
    func validityPeriodCounts() async throws {
        try await withRepository { consents, _ in
            let expired = Fixture.record(
                "old", validity: ConsentPeriod(start: Fixture.date("2025-01-01"), end: Fixture.date("2026-01-01")),
                medicationOnly)
            let current = Fixture.record("new", medicationOnly)
            try await consents.record(expired)
            try await consents.record(current)
            #expect(try await consents.consentsInForce(patientID: "p1", at: Fixture.now).map(\.id) == ["new"])
            #expect(try await consents.consentsInForce(patientID: "p2", at: Fixture.now).isEmpty)
        }
    }

    @Test("A version recorded after a cached lookup is what the very next lookup returns")
    func newVersionAfterCachedLookupCountsAtOnce() async throws {
        try await withRepository { consents, database in
            let consent = Fixture.record("c1", medicationOnly)
            try await consents.record(consent)
            // Twice: the second lookup is served from the decoded cache.
            #expect(try await consents.latestVersions(patientID: "p1") == [consent])
            #expect(try await consents.latestVersions(patientID: "p1") == [consent])
            #expect(consents.decoded.count == 1)

            // Revoked through another repository value, as the portal does: no shared cache to invalidate.
            let revocation = consent.revoked(at: Fixture.now)
            try await ConsentRepository(database: database).record(revocation)
            #expect(try await consents.latestVersions(patientID: "p1") == [revocation])
            #expect(try await consents.consentsInForce(patientID: "p1", at: Fixture.now).isEmpty)

            // And a consent given again after that, by the same value.
            let renewed = Fixture.record("c2", medicationOnly)
            try await consents.record(renewed)
            #expect(try await consents.consentsInForce(patientID: "p1", at: Fixture.now) == [renewed])
            #expect(try await consents.latestVersions(patientID: "p1").map(\.version).sorted() == [1, 2])
        }
    }

    @Test("The decoded-consent cache stays bounded")
    func decodedCacheIsBounded() {
        let cache = ConsentRecordCache()
        for index in 0...(ConsentRecordCache.limit + 10) {
            let record = Fixture.record("c\(index)", medicationOnly)
            cache[ConsentRecordCache.Key(consentID: record.id, version: record.version)] = record
        }
        #expect(cache.count <= ConsentRecordCache.limit)
        #expect(cache[ConsentRecordCache.Key(consentID: "c\(ConsentRecordCache.limit + 10)", version: 1)] != nil)
    }
}
