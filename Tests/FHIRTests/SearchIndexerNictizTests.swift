import FHIR
import Foundation
import Testing

/// Finds `../shared/nictiz/stu3-zib2017/Examples` for the search tests: `$ZORGNET_SHARED_DIR/nictiz`
/// when set, else the first `shared/nictiz` walking up from this file (as written and with symlinks
/// resolved, since dev packages link test files in).
private enum SearchNictizExamples {
    static let directory: URL? = {
        if let shared = ProcessInfo.processInfo.environment["ZORGNET_SHARED_DIR"] {
            return URL(fileURLWithPath: shared).appendingPathComponent("nictiz/stu3-zib2017/Examples")
        }
        let file = URL(fileURLWithPath: #filePath)
        for start in [file, file.resolvingSymlinksInPath()] {
            var directory = start.deletingLastPathComponent()
            while directory.path != "/" {
                let candidate = directory.appendingPathComponent("shared/nictiz/stu3-zib2017/Examples")
                if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }()

    static var isAvailable: Bool { directory != nil }

    static func resource(_ name: String) throws -> FHIRResource {
        let directory = try #require(directory)
        let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
        return try FHIRXML.parseResource(bytes)
    }
}

/// The real Nictiz zib2017 examples, read through the XML codec, indexed, and matched against the
/// BgZ queries that should find them.
@Suite(
    "Search index over Nictiz examples",
    .enabled(if: SearchNictizExamples.isAvailable, "needs ../shared/nictiz/stu3-zib2017/Examples (skipped when absent)"))
struct SearchIndexerNictizTests {
    /// Example file, BgZ-style query on its type, whether it must match.
    static let cases: [(file: String, query: String, matches: Bool)] = [
        ("nl-core-patient-01.xml", "identifier=http://fhir.nl/fhir/NamingSystem/bsn|999911120", true),
        ("nl-core-patient-01.xml", "family=helleman", false),
        ("nl-core-patient-01.xml", "family:contains=helleman", true),
        ("nl-core-patient-01.xml", "address-city=stitsw", true),
        ("nl-core-patient-01.xml", "birthdate=1964-07", true),
        ("nl-core-patient-01.xml", "gender=male", true),
        ("nl-core-patient-01.xml", "phone=06-12345645", true),
        ("zib-LaboratoryTestResult-Observation-01.xml", "category=http://snomed.info/sct|275711006", true),
        ("zib-LaboratoryTestResult-Observation-01.xml", "specimen=Specimen/zib-laboratorytestresult-specimen-01", true),
        ("zib-LaboratoryTestResult-Observation-01.xml", "patient=Patient/nl-core-patient-01", true),
        ("zib-LaboratoryTestResult-Observation-01.xml", "date=2012-05-23", true),
        ("zib-BloodPressure-01.xml", "code=http://loinc.org|85354-9", true),
        ("zib-BloodPressure-01.xml", "component-code=http://loinc.org|8480-6", true),
        ("zib-BloodPressure-01.xml", "code=http://loinc.org|29463-7", false),
        ("zib-Payer-01.xml", "beneficiary=Patient/nl-core-patient-01", true),
        ("zib-Payer-01.xml", "payor=Organization/nl-core-organization-04", true),
        ("zib-MedicationUse-01.xml", "category=urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3|6", true),
        ("zib-MedicationUse-01.xml", "medication=Medication/zib-Product-02", true),
        ("zib-MedicationUse-01.xml", "effective=gt2021", true),
        ("zib-MedicationUse-01.xml", "effective=lt2020-07-21", false),
    ]

    @Test("examples index and match the queries that should find them", arguments: cases)
    func exampleMatches(file: String, query: String, expected: Bool) throws {
        let resource = try SearchNictizExamples.resource(file)
        let entries = SearchIndexer().entries(for: resource)
        let parsed = try SearchQuery.parse(
            resourceType: resource.resourceType, parameters: SearchTestSupport.parameters(query))
        let clause = try #require(parsed.clauses.first)
        #expect(matches(clause, entries: entries) == expected, "\(file): \(query)\n\(entries)")
    }

    @Test("every STU3 example indexes without trouble and yields at least its _id")
    func allExamplesIndex() throws {
        let directory = try #require(SearchNictizExamples.directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".xml") }
        #expect(names.count > 100)
        let indexer = SearchIndexer()
        for name in names {
            let resource = try SearchNictizExamples.resource(name)
            let entries = indexer.entries(for: resource)
            #expect(entries.contains { $0.parameter == "_id" }, "\(name)")
        }
    }
}
