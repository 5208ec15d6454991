import FHIR
import Foundation
import Testing

@testable import Store

/// The SQL search must select exactly the resources that `FHIR.matches(_:entries:)`, the reference
/// semantics, selects from the same index entries.
@Suite("SQL search agrees with the reference matcher")
struct SearchSemanticsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let type: String
        let query: String
        var testDescription: String { "\(type)?\(query)" }
        init(_ type: String, _ query: String) {
            self.type = type
            self.query = query
        }
    }

    static let cases: [Case] = [
        Case("Observation", "code=http://loinc.org|85354-9"),
        Case("Observation", "code=85354-9"),
        Case("Observation", "code=|85354-9"),
        Case("Observation", "code=http://loinc.org|"),
        Case("Observation", "code=http://loinc.org|85354-9,http://loinc.org|29463-7"),
        Case("Observation", "code:missing=true"),
        Case("Observation", "code:missing=false"),
        Case("Observation", "code:not=http://loinc.org|85354-9"),
        Case("Observation", "date=ge2026-01-01"),
        Case("Observation", "date=2026-10"),
        Case("Observation", "date=lt2026"),
        Case("Observation", "date=ne2026-10"),
        Case("Observation", "date=gt2026-10-16"),
        Case("Observation", "date=le2026-10-16"),
        Case("Observation", "date=sa2026-10-01"),
        Case("Observation", "date=eb2026"),
        Case("Observation", "date=2026-10-01T07:30:00Z"),
        Case("Observation", "date:missing=true"),
        Case("Observation", "subject=Patient/p1"),
        Case("Observation", "subject=p1"),
        Case("Observation", "subject:Patient=p1"),
        Case("Observation", "patient=p2"),
        Case("Observation", "value-quantity=gt130"),
        Case("Observation", "value-quantity=132"),
        Case("Observation", "value-quantity=le99.5"),
        Case("Observation", "code=http://loinc.org|85354-9&date=ge2026-10-02"),
        Case("Observation", "_id=o1,o4"),
        Case("Patient", "name=jan"),
        Case("Patient", "name=JAN"),
        Case("Patient", "name=muller"),
        Case("Patient", "name=elodie"),
        Case("Patient", "name:exact=Jansen"),
        Case("Patient", "family:exact=Müller"),
        Case("Patient", "name:contains=sen"),
        Case("Patient", "family=van der"),
        Case("Patient", "family:contains=berg"),
        Case("Patient", "gender=female"),
        Case("Patient", "birthdate=1958"),
        Case("Patient", "birthdate=1958-03"),
        Case("Patient", "birthdate=ge2000"),
        Case("Patient", "general-practitioner=Practitioner/gp1"),
        Case("Patient", "general-practitioner:missing=true"),
        Case("Patient", "identifier=http://fhir.nl/fhir/NamingSystem/bsn|"),
        Case("Patient", "active=true"),
        Case("MedicationStatement", "medication=Medication/med1"),
    ]

    static func parameters(_ query: String) -> [(name: String, value: String)] {
        query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
    }

    @Test("each query selects what the reference matcher selects", arguments: cases)
    func agreesWithMatcher(_ testCase: Case) async throws {
        let database = try makeDatabase()
        let repository = try await Population.seed(database)
        let query = try SearchQuery.parse(resourceType: testCase.type, parameters: Self.parameters(testCase.query))
        let indexer = SearchIndexer()
        let expected = Set(
            try Population.resources.compactMap { value -> String? in
                let resource = try FHIRResource(value.objectValue ?? [:])
                guard resource.resourceType == testCase.type else { return nil }
                let entries = indexer.entries(for: resource)
                return query.clauses.allSatisfy { matches($0, entries: entries) } ? resource.id : nil
            })
        let result = try await repository.search(
            query, scope: .everything, page: SearchPage(count: 100, snapshotMilliseconds: .max))
        #expect(Set(result.matches.map(\.id)) == expected)
        #expect(result.total == expected.count)
    }

    @Test("the population gives every case something to tell apart")
    func casesAreNotTrivial() async throws {
        // Guards the table above: a case that matches everything or nothing proves little, so most must not.
        let database = try makeDatabase()
        let repository = try await Population.seed(database)
        var discriminating = 0
        for testCase in Self.cases {
            let query = try SearchQuery.parse(resourceType: testCase.type, parameters: Self.parameters(testCase.query))
            let all = try await repository.search(
                SearchQuery.parse(resourceType: testCase.type, parameters: []), scope: .everything,
                page: SearchPage(count: 100, snapshotMilliseconds: .max))
            let some = try await repository.search(query, scope: .everything, page: SearchPage(count: 100, snapshotMilliseconds: .max))
            if some.total > 0, some.total < all.total { discriminating += 1 }
        }
        #expect(discriminating >= Self.cases.count - 4)
    }
}
