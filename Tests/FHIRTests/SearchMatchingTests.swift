import FHIR
import Testing

/// The reference semantics of `matches`, one table per parameter type. The store's SQL must give
/// the same answers for the same entries.
@Suite("Search matching semantics")
struct SearchMatchingTests {
    private func check(_ resourceType: String, _ query: String, _ entries: [SearchIndexEntry]) throws -> Bool {
        let parsed = try SearchTestSupport.parse(resourceType, query)
        let clause = try #require(parsed.clauses.first)
        return matches(clause, entries: entries)
    }

    private static func entry(_ parameter: String, _ value: SearchIndexValue) -> SearchIndexEntry {
        SearchIndexEntry(parameter: parameter, value: value)
    }

    // MARK: token

    static let tokenEntries = [
        entry("code", .token(system: "http://loinc.org", code: "1-1")),
        entry("code", .token(system: nil, code: "final")),
        entry("status", .token(system: nil, code: "amended")),
    ]

    @Test(
        "token: code, system|code, |code, system| and :not",
        arguments: [
            ("code=1-1", true), ("code=http://loinc.org|1-1", true), ("code=http://other|1-1", false),
            ("code=|1-1", false), ("code=|final", true), ("code=http://loinc.org|", true), ("code=http://x|", false),
            ("code=FINAL", false), ("code=2-2,final", true), ("code=amended", false),
            ("code:not=1-1", false), ("code:not=9-9", true), ("code:not=9-9,final", false),
            ("code:missing=true", false), ("code:missing=false", true), ("date:missing=true", true),
            ("date:missing=false", false),
        ])
    func token(query: String, expected: Bool) throws {
        #expect(try check("Observation", query, Self.tokenEntries) == expected, "\(query)")
    }

    @Test(":not matches resources without any value")
    func notWithoutValues() throws {
        #expect(try check("Observation", "code:not=1-1", []))
    }

    // MARK: string

    static let stringEntries = [
        entry("name", .string(normalized: "van der berg", exact: "van der Berg")),
        entry("name", .string(normalized: "johan", exact: "Johan")),
    ]

    @Test(
        "string: starts-with by default and :contains case- and accent-insensitive, :exact as written",
        arguments: [
            ("name=van", true), ("name=ber", false), ("name=Jóh", true), ("name=VAN DER", true), ("name=xyz,joh", true),
            ("name:contains=der b", true), ("name:contains=ERG", true), ("name:contains=xyz", false),
            ("name:exact=Johan", true), ("name:exact=johan", false), ("name:exact=JOHAN", false), ("name:exact=Joh", false),
            ("name:exact=van der Berg", true), ("name:exact=van der berg", false),
        ])
    func string(query: String, expected: Bool) throws {
        #expect(try check("Patient", query, Self.stringEntries) == expected, "\(query)")
    }

    // MARK: reference

    static let referenceEntries = [
        entry("subject", .reference(type: "Patient", id: "p1", url: "Patient/p1")),
        entry("subject", .reference(type: "Patient", id: "p2", url: "https://other.example/fhir/Patient/p2")),
        entry("subject", .reference(type: nil, id: "x9", url: "x9")),
    ]

    @Test(
        "reference: Type/id, bare id, :Type and absolute URLs",
        arguments: [
            ("subject=Patient/p1", true), ("subject=p1", true), ("subject=Group/p1", false),
            ("subject:Patient=p1", true), ("subject:Group=p1", false), ("subject:Patient=p2", true),
            ("subject=https://other.example/fhir/Patient/p2", true), ("subject=https://mine.example/fhir/Patient/p1", false),
            ("subject=x9", true), ("subject=Patient/x9", false), ("subject=Patient/p3,p2", true),
        ])
    func reference(query: String, expected: Bool) throws {
        #expect(try check("Observation", query, Self.referenceEntries) == expected, "\(query)")
    }

    // MARK: date

    /// Targets against the search value 2017 ([2017-01-01, 2018-01-01) UTC).
    static let dateTargets: [(String, DateRange)] = [
        ("a day inside", DateRange(fhirDate: "2017-06-01") ?? .unbounded),
        ("the day before", DateRange(fhirDate: "2016-12-31") ?? .unbounded),
        ("the day after", DateRange(fhirDate: "2018-01-01") ?? .unbounded),
        ("a period across the start", DateRange(lowerBound: SearchTestSupport.millis("2016-06"),
                                                upperBound: SearchTestSupport.millis("2017-07"))),
        ("an open-ended period from inside", DateRange(lowerBound: SearchTestSupport.millis("2017-06"), upperBound: .max)),
        ("an open-started period before", DateRange(lowerBound: .min, upperBound: SearchTestSupport.millis("2016-07"))),
        ("exactly 2017", DateRange(fhirDate: "2017") ?? .unbounded),
    ]

    @Test(
        "date: the STU3 prefix table over ranges",
        arguments: [
            ("eq", [true, false, false, false, false, false, true]),
            ("ne", [false, true, true, true, true, true, false]),
            ("gt", [false, false, true, false, true, false, false]),
            ("lt", [false, true, false, true, false, true, false]),
            ("ge", [true, false, true, false, true, false, true]),
            ("le", [true, true, false, true, false, true, true]),
            ("sa", [false, false, true, false, false, false, false]),
            ("eb", [false, true, false, false, false, true, false]),
        ])
    func date(prefix: String, expected: [Bool]) throws {
        for ((name, range), expectation) in zip(Self.dateTargets, expected) {
            let entries = [Self.entry("date", .date(range))]
            #expect(try check("Observation", "date=\(prefix)2017", entries) == expectation, "\(prefix)2017 vs \(name)")
        }
    }

    @Test("date: a zone in the search value shifts the range it covers")
    func dateZones() throws {
        let entries = [Self.entry("date", .date(DateRange(fhirDate: "2017-06-01T23:30:00Z") ?? .unbounded))]
        #expect(try check("Observation", "date=2017-06-01", entries))
        #expect(try !check("Observation", "date=2017-06-01T23:30:00+02:00", entries))
        #expect(try check("Observation", "date=2017-06-02T01:30:00+02:00", entries))
    }

    // MARK: number and quantity

    static let quantityEntries = [
        entry("value-quantity", .quantity(value: 109, system: "http://unitsofmeasure.org", code: "mmol/L")),
    ]

    @Test(
        "quantity: implicit precision for eq, exact comparison otherwise, units when given",
        arguments: [
            ("109", true), ("109.0", true), ("108.9", false), ("1.09e2", true), ("gt100", true), ("lt100", false),
            ("ge109", true), ("le108", false), ("ne109", false), ("ne110", true),
            ("109|http://unitsofmeasure.org|mmol/L", true), ("109||mmol/L", true), ("109||mg", false),
            ("109|http://other|mmol/L", false), ("gt109.5||mmol/L", false),
        ])
    func quantity(value: String, expected: Bool) throws {
        #expect(try check("Observation", "value-quantity=\(value)", Self.quantityEntries) == expected, "\(value)")
    }

    @Test(
        "number: implicit precision for eq, exact comparison otherwise",
        arguments: [
            ("2", true), ("2.0", true), ("1", false), ("2.4", false), ("gt1", true), ("ge2", true), ("lt2", false),
            ("le2", true), ("ne2", false), ("ne3", true), ("1.5", false), ("2.00", true),
        ])
    func number(value: String, expected: Bool) throws {
        let entries = [Self.entry("dose-sequence", .number(2))]
        #expect(try check("Immunization", "dose-sequence=\(value)", entries) == expected, "\(value)")
    }

    // MARK: uri

    @Test("uri: exact equality", arguments: [("http://a.example/p", true), ("http://a.example", false), ("HTTP://A.EXAMPLE/P", false)])
    func uri(value: String, expected: Bool) throws {
        let entries = [Self.entry("_profile", .uri("http://a.example/p"))]
        #expect(try check("Patient", "_profile=\(value)", entries) == expected)
    }

    @Test("entries of other parameters never count")
    func otherParameters() throws {
        let entries = [Self.entry("category", .token(system: nil, code: "x"))]
        #expect(try !check("Observation", "code=x", entries))
    }

    // MARK: end to end

    @Test(
        "indexing then matching answers the BgZ lab query like a server would",
        arguments: [
            ("category=http://snomed.info/sct|275711006", true),
            ("code=http://loinc.org|2069-3", true),
            ("patient=Patient/nl-core-patient-01", true),
            ("patient=nl-core-patient-01", true),
            ("subject:Patient=nl-core-patient-01", true),
            ("date=2012-05-23", true),
            ("date=ge2012-05-24", false),
            ("value-quantity=gt100|http://unitsofmeasure.org|mmol/L", true),
            ("specimen:missing=false", true),
            ("device:missing=true", true),
            ("code=http://loinc.org|85354-9", false),
        ])
    func endToEnd(query: String, expected: Bool) throws {
        let entries = SearchIndexer().entries(for: try SearchTestSupport.resource(SearchIndexerTests.labResult))
        #expect(try check("Observation", query, entries) == expected, "\(query)")
    }
}
