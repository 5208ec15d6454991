import FHIR
import Foundation
import GRDB
import Testing

@testable import Store

@Suite("Versioned resources")
struct ResourceRepositoryTests {
    @Test("every write is a new version and the index follows the current one")
    func versioning() async throws {
        let database = try makeDatabase()
        let repository = try await Population.seed(database)
        let renamed = Population.patient("p1", family: "Pietersen", given: "Jan", gender: "male", birthDate: "1958-03-14")
        let result = try await repository.store([try incoming(renamed)])
        #expect(result.first == .updated(result[0].stored))
        #expect(result[0].stored.version == 2)

        let history = try #require(try await repository.history(type: "Patient", id: "p1", scope: .everything))
        #expect(history.map(\.version) == [2, 1])
        let first = try #require(try await repository.read(type: "Patient", id: "p1", version: 1, scope: .everything))
        #expect(try first.resource()["name"]?.elements.first?["family"]?.stringValue == "Jansen")

        let page = SearchPage(count: 10, snapshotMilliseconds: .max)
        let old = try await repository.search(SearchQuery.parse(resourceType: "Patient", parameters: [("family", "jans")]), scope: .everything, page: page)
        #expect(old.matches.map(\.id) == ["p4"])
        let new = try await repository.search(SearchQuery.parse(resourceType: "Patient", parameters: [("family", "pietersen")]), scope: .everything, page: page)
        #expect(new.matches.map(\.id) == ["p1"])
    }

    @Test("the received bytes and format are kept as they arrived")
    func receivedBytesKept() async throws {
        let database = try makeDatabase()
        let repository = ResourceRepository(database: database)
        let bytes = Array(#"{ "resourceType" : "Patient", "id" : "x1", "birthDate": "1970" }"#.utf8)
        let resource = try FHIRJSON.parseResource(bytes)
        _ = try await repository.store([IncomingResource(resource: resource, receivedFormat: .json, receivedBytes: bytes)])
        let stored = try await database.pool.read { db -> (String, Data)? in
            try Row.fetchOne(db, sql: "SELECT received_format, received_bytes FROM resource_version").map {
                ($0["received_format"], $0["received_bytes"])
            }
        }
        #expect(stored?.0 == "json")
        #expect(stored.map { [UInt8]($0.1) } == bytes)
    }

    @Test("meta.versionId and meta.lastUpdated are set by the store, after id")
    func serverManagedMeta() async throws {
        let database = try makeDatabase()
        let repository = ResourceRepository(database: database)
        let written = try await repository.store([try incoming(["resourceType": "Patient", "id": "m1", "meta": ["versionId": "77"]])])
        let resource = try written[0].stored.resource()
        #expect(resource.versionId == "1")
        #expect(resource.lastUpdated == written[0].stored.lastUpdated)
        #expect(resource.content.keys.prefix(3) == ["resourceType", "id", "meta"])
    }

    @Test("storing unchanged content with skipUnchanged adds no version")
    func skipUnchanged() async throws {
        let database = try makeDatabase()
        let repository = try await Population.seed(database)
        let again = try await repository.store(try Population.resources.map(incoming), skipUnchanged: true)
        #expect(again.allSatisfy { if case .unchanged = $0 { true } else { false } })
    }

    @Test("a batch with one bad resource stores nothing")
    func atomicBatch() async throws {
        let database = try makeDatabase()
        let repository = ResourceRepository(database: database)
        await #expect(throws: StoreError.invalidID("not valid!")) {
            _ = try await repository.store([
                try incoming(["resourceType": "Patient", "id": "fine"]),
                try incoming(["resourceType": "Patient", "id": "not valid!"]),
            ])
        }
        #expect(try await repository.read(type: "Patient", id: "fine", scope: .everything) == nil)
    }

    @Test("_lastUpdated searches the moment of the write, not the meta the resource arrived with")
    func lastUpdatedIsStamped() async throws {
        let database = try makeDatabase()
        let repository = ResourceRepository(database: database)
        _ = try await repository.store(
            [try incoming(["resourceType": "Patient", "id": "l1", "meta": ["lastUpdated": "1999-01-01T00:00:00Z"]])],
            at: Date(timeIntervalSince1970: 1_790_000_000))
        let page = SearchPage(count: 10, snapshotMilliseconds: .max)
        let old = try await repository.search(SearchQuery.parse(resourceType: "Patient", parameters: [("_lastUpdated", "lt2000")]), scope: .everything, page: page)
        #expect(old.matches.isEmpty)
        let current = try await repository.search(SearchQuery.parse(resourceType: "Patient", parameters: [("_lastUpdated", "ge2026")]), scope: .everything, page: page)
        #expect(current.matches.map(\.id) == ["l1"])
    }
}

@Suite("What a patient-bound caller can see")
struct VisibilityTests {
    @Test("a patient scope reads its own compartment and the shared resources it refers to, nothing else", arguments: [
        ("Patient", "p1", true), ("Observation", "o1", true), ("MedicationStatement", "ms1", true),
        ("Practitioner", "gp1", true), ("Medication", "med1", true),
        ("Patient", "p2", false), ("Observation", "o4", false), ("Practitioner", "gp2", false),
        ("Observation", "o7", false),  // refers to another server's Patient/p1
    ])
    func visibility(_ type: String, _ id: String, _ visible: Bool) async throws {
        let database = try makeDatabase()
        let repository = try await Population.seed(database)
        let read = try await repository.read(type: type, id: id, scope: .patient(id: "p1"))
        #expect((read != nil) == visible)
        #expect(try await repository.read(type: type, id: id, scope: .everything) != nil)
    }

    @Test("included resources pass the same visibility check as matches")
    func includesAreFiltered() async throws {
        let database = try makeDatabase()
        let repository = try await Population.seed(database)
        let query = try SearchQuery.parse(resourceType: "Patient", parameters: [("_include", "Patient:general-practitioner")])
        let page = SearchPage(count: 10, snapshotMilliseconds: .max)
        let scoped = try await repository.search(query, scope: .patient(id: "p1"), page: page)
        #expect(scoped.matches.map(\.id) == ["p1"])
        #expect(scoped.includes.map(\.id) == ["gp1"])
        let everything = try await repository.search(query, scope: .everything, page: page)
        #expect(everything.matches.count == 4)
    }
}

@Suite("BSN masking for PGO apps")
struct BSNMaskingTests {
    @Test("a patient-scoped read gets the BSN masked with data-absent-reason; the stored record keeps it")
    func masked() async throws {
        let database = try makeDatabase()
        let repository = ResourceRepository(database: database)
        let patient: FHIRValue = [
            "resourceType": "Patient", "id": "b1",
            "text": ["status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">BSN 999911120</div>"],
            "identifier": [["system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "999911120"]],
        ]
        _ = try await repository.store([try incoming(patient)])
        let scoped = try #require(try await repository.read(type: "Patient", id: "b1", scope: .patient(id: "b1")))
        let text = String(decoding: scoped.contentJSON, as: UTF8.self)
        #expect(!text.contains("999911120"))
        let identifier = try scoped.resource()["identifier"]?.elements.first
        #expect(identifier?["system"]?.stringValue == "http://fhir.nl/fhir/NamingSystem/bsn")
        #expect(identifier?["value"] == nil)
        #expect(identifier?["_value"]?["extension"]?.elements.first?["valueCode"]?.stringValue == "masked")

        let full = try #require(try await repository.read(type: "Patient", id: "b1", scope: .everything))
        #expect(String(decoding: full.contentJSON, as: UTF8.self).contains("999911120"))
        let page = SearchPage(count: 10, snapshotMilliseconds: .max)
        let searched = try await repository.search(SearchQuery.parse(resourceType: "Patient", parameters: []), scope: .patient(id: "b1"), page: page)
        #expect(!String(decoding: searched.matches[0].contentJSON, as: UTF8.self).contains("999911120"))
    }

    @Test("a BSN under its OID system is masked the same way, keeping that system; other identifiers stay", arguments: [
        "urn:oid:2.16.840.1.113883.2.4.6.3", "http://fhir.nl/fhir/NamingSystem/bsn",
    ])
    func maskedUnderEitherSystem(_ system: String) throws {
        let patient = try FHIRResource([
            "resourceType": "Patient", "id": "b2",
            "text": ["status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">BSN 999911120</div>"],
            "identifier": [
                ["system": .string(system), "value": "999911120"],
                ["system": "urn:oid:2.16.840.1.113883.2.4.6.1", "value": "12345678"],
            ],
        ])
        let masked = try #require(BSNMasking.masked(patient))
        #expect(masked["identifier"] == [
            [
                "system": .string(system),
                "_value": ["extension": [["url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "masked"]]],
            ],
            ["system": "urn:oid:2.16.840.1.113883.2.4.6.1", "value": "12345678"],
        ])
        #expect(masked["text"]?["div"] == "<div xmlns=\"http://www.w3.org/1999/xhtml\">BSN *********</div>")
    }

    @Test("a resource without a BSN under either system needs no masking")
    func nothingToMask() throws {
        let patient = try FHIRResource([
            "resourceType": "Patient", "id": "b3",
            "identifier": [["system": "urn:oid:2.16.840.1.113883.2.4.6.1", "value": "999911120"]],
        ])
        #expect(BSNMasking.masked(patient) == nil)
    }
}
