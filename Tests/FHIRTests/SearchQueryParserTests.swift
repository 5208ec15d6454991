import FHIR
import Testing

/// The 28 MedMij BgZ queries (zib-bgz.md §4.1), `$lastn` turned into a plain Observation search.
/// `|` is literal: the HTTP layer has already percent-decoded `%7C`.
let bgzQueries: [(resourceType: String, query: String)] = [
    ("Patient", "_include=Patient:general-practitioner"),
    ("Coverage", "_include=Coverage:payor:Patient&_include=Coverage:payor:Organization"),
    ("Consent", "category=http://snomed.info/sct|11291000146105"),
    ("Consent", "category=http://snomed.info/sct|11341000146107"),
    ("Observation", "category=http://snomed.info/sct|118228005,http://snomed.info/sct|384821006"),
    ("Condition", ""),
    ("Observation", "code=http://snomed.info/sct|365508006"),
    ("Observation", "code=http://snomed.info/sct|228366006"),
    ("Observation", "code=http://snomed.info/sct|228273003"),
    ("Observation", "code=http://snomed.info/sct|365980008"),
    ("NutritionOrder", ""),
    ("Flag", ""),
    ("AllergyIntolerance", ""),
    ("MedicationStatement",
     "category=urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3|6&_include=MedicationStatement:medication"),
    ("MedicationRequest", "category=http://snomed.info/sct|16076005&_include=MedicationRequest:medication"),
    ("MedicationDispense", "category=http://snomed.info/sct|422037009&_include=MedicationDispense:medication"),
    ("DeviceUseStatement", "_include=DeviceUseStatement:device"),
    ("Immunization", "status=completed"),
    ("Observation", "code=http://loinc.org|85354-9"),
    ("Observation", "code=http://loinc.org|29463-7"),
    ("Observation", "code=http://loinc.org|8302-2,http://loinc.org|8306-3,http://loinc.org|8308-9"),
    ("Observation",
     "category=http://snomed.info/sct|275711006&_include=Observation:related-target&_include=Observation:specimen"),
    ("Procedure", "category=http://snomed.info/sct|387713003"),
    ("Encounter",
     "class=http://hl7.org/fhir/v3/ActCode|IMP,http://hl7.org/fhir/v3/ActCode|ACUTE,http://hl7.org/fhir/v3/ActCode|NONAC"),
    ("ProcedureRequest", "status=active"),
    ("ImmunizationRecommendation", ""),
    ("Appointment", "status=booked,pending,proposed"),
    ("DeviceRequest", "status=active&_include=DeviceRequest:device"),
]

@Suite("Search query parsing")
struct SearchQueryParserTests {
    @Test("every MedMij BgZ query parses for its resource type", arguments: bgzQueries)
    func bgzQueryParses(resourceType: String, query: String) throws {
        let parsed = try SearchTestSupport.parse(resourceType, query)
        let pairs = SearchTestSupport.parameters(query)
        #expect(parsed.resourceType == resourceType)
        #expect(parsed.clauses.count + parsed.includes.count == pairs.count)
    }

    @Test("the BgZ table has all 28 queries")
    func bgzTableIsComplete() {
        #expect(bgzQueries.count == 28)
    }

    @Test("BgZ query 21 ORs three LOINC codes in one clause")
    func orValues() throws {
        let query = try SearchTestSupport.parse("Observation", bgzQueries[20].query)
        #expect(query.clauses.count == 1)
        #expect(query.clauses[0].values == [
            .token(.systemAndCode(system: "http://loinc.org", code: "8302-2")),
            .token(.systemAndCode(system: "http://loinc.org", code: "8306-3")),
            .token(.systemAndCode(system: "http://loinc.org", code: "8308-9")),
        ])
    }

    @Test("BgZ query 2 keeps both Coverage includes with their target types")
    func coverageIncludes() throws {
        let query = try SearchTestSupport.parse("Coverage", bgzQueries[1].query)
        #expect(query.includes == [
            IncludeRequest(sourceType: "Coverage", parameter: "payor", targetType: "Patient"),
            IncludeRequest(sourceType: "Coverage", parameter: "payor", targetType: "Organization"),
        ])
    }

    @Test("repeated parameters become separate ANDed clauses")
    func andClauses() throws {
        let query = try SearchTestSupport.parse("Observation", "date=ge2017-01-01&date=le2017-12-31&status=final")
        #expect(query.clauses.map(\.parameter.name) == ["date", "date", "status"])
    }

    @Test(
        "token values take the four FHIR forms",
        arguments: [
            ("final", TokenSearch.code("final")),
            ("http://loinc.org|29463-7", .systemAndCode(system: "http://loinc.org", code: "29463-7")),
            ("|IMP", .codeWithoutSystem("IMP")),
            ("http://snomed.info/sct|", .system("http://snomed.info/sct")),
            (#"a\|b"#, .code("a|b")),
            (#"urn:x|a\,b"#, .systemAndCode(system: "urn:x", code: "a,b")),
        ])
    func tokenForms(value: String, expected: TokenSearch) throws {
        let query = try SearchQuery.parse(resourceType: "Observation", parameters: [("code", value)])
        #expect(query.clauses[0].values == [.token(expected)])
    }

    @Test(
        "reference values take the FHIR forms",
        arguments: [
            ("subject", "Patient/p1", ReferenceSearch.typed(type: "Patient", id: "p1")),
            ("subject", "p1", .id("p1")),
            ("subject:Patient", "p1", .typed(type: "Patient", id: "p1")),
            ("subject", "https://other.example/fhir/Patient/p1", .url("https://other.example/fhir/Patient/p1")),
            ("patient", "Patient/p-1.a", .typed(type: "Patient", id: "p-1.a")),
        ])
    func referenceForms(name: String, value: String, expected: ReferenceSearch) throws {
        let query = try SearchQuery.parse(resourceType: "Observation", parameters: [(name, value)])
        #expect(query.clauses[0].values == [.reference(expected)])
    }

    @Test("string values are normalized like the index")
    func stringValues() throws {
        let query = try SearchTestSupport.parse("Patient", "family=  Müller ,van  Dijk")
        #expect(query.clauses[0].values == [.string("muller"), .string("van dijk")])
    }

    @Test(
        "supported modifiers are recognised",
        arguments: [
            ("Patient", "name:exact=Jansen", SearchModifier.exact),
            ("Patient", "name:contains=ans", .contains),
            ("Observation", "code:not=http://loinc.org|1-1", .not),
            ("Observation", "subject:Patient=p1", .type("Patient")),
            ("Observation", "code:missing=true", .missing(true)),
            ("Observation", "date:missing=false", .missing(false)),
            ("Patient", "general-practitioner:missing=true", .missing(true)),
        ])
    func modifiers(resourceType: String, query: String, expected: SearchModifier) throws {
        let parsed = try SearchTestSupport.parse(resourceType, query)
        #expect(parsed.clauses[0].modifier == expected)
        if case .missing = expected { #expect(parsed.clauses[0].values.isEmpty) }
    }

    @Test("all unknown and unsupported parameters are named in one error")
    func unsupportedNamedTogether() throws {
        let error = SearchTestSupport.error(
            "Observation",
            "foo=1&code:exact=x&subject:Practitioner=1&patient.identifier=a|b&_summary=true&_elements=id"
                + "&_total=accurate&_revinclude=Provenance:target&_include:iterate=Observation:specimen&foo=2&code=ok")
        guard case .unsupportedParameters(let names, let type, let supported) = error else {
            Issue.record("expected unsupportedParameters, got \(String(describing: error))")
            return
        }
        #expect(names == [
            "foo", "code:exact", "subject:Practitioner", "patient.identifier", "_summary", "_elements", "_total",
            "_revinclude", "_include:iterate",
        ])
        #expect(type == "Observation")
        #expect(supported.contains("code") && supported.contains("_count"))
        let text = try #require(error).description
        #expect(text.contains("foo, code:exact, subject:Practitioner"))
        #expect(try #require(error).issueCode == "not-supported")
    }

    @Test("unsupported parameters are reported before invalid values")
    func unsupportedBeforeInvalid() {
        let error = SearchTestSupport.error("Observation", "date=yesterday&bogus=1")
        guard case .unsupportedParameters(let names, _, _) = error else {
            Issue.record("expected unsupportedParameters, got \(String(describing: error))")
            return
        }
        #expect(names == ["bogus"])
    }

    @Test(
        "modifiers a type does not support are refused",
        arguments: [
            ("Observation", "code:exact=x"), ("Observation", "code:text=x"), ("Observation", "code:in=x"),
            ("Observation", "code:below=x"), ("Patient", "name:not=x"), ("Observation", "date:exact=2017"),
            ("Observation", "subject:not=x"), ("Observation", "subject:identifier=x"), ("Patient", "_profile:below=x"),
            ("Observation", "value-quantity:contains=1"), ("Observation", "subject:patient=x"),
        ])
    func unsupportedModifier(resourceType: String, query: String) {
        let error = SearchTestSupport.error(resourceType, query)
        guard case .unsupportedParameters(let names, _, _) = error else {
            Issue.record("expected unsupportedParameters for \(query), got \(String(describing: error))")
            return
        }
        #expect(names == [String(query.prefix { $0 != "=" })])
    }

    @Test(
        "invalid values name the parameter and the value",
        arguments: [
            ("Observation", "code", ""),
            ("Observation", "code", "a|b|c"),
            ("Observation", "code", "|"),
            ("Observation", "code", "a,,b"),
            ("Observation", "date", "2017-13"),
            ("Observation", "date", "2017-02-29"),
            ("Observation", "date", "yesterday"),
            ("Observation", "date", "ap2017"),
            ("Observation", "date", "2017-01-01T25:00:00Z"),
            ("Observation", "subject", "Patient/"),
            ("Observation", "subject", "Patient/a b"),
            ("Observation", "subject", "patient/1"),
            ("Observation", "subject", "Practitioner/1"),
            ("Observation", "subject", "a/b/c"),
            ("Observation", "subject:Patient", "Group/1"),
            ("Observation", "subject", "urn:uuid:1234"),
            ("Observation", "subject", "https://other.example/fhir/Practitioner/1"),
            ("Observation", "subject:Patient", "https://other.example/fhir/Group/1"),
            ("Observation", "value-quantity", "abc"),
            ("Observation", "value-quantity", "5|a"),
            ("Observation", "value-quantity", "sa5"),
            ("Immunization", "dose-sequence", "1.2.3"),
            ("Immunization", "dose-sequence", "eb2"),
            ("Patient", "name", "   "),
            ("Patient", "_profile", "has space"),
            ("Observation", "code:missing", "yes"),
            ("Observation", "_count", "0"),
            ("Observation", "_count", "-5"),
            ("Observation", "_count", "ten"),
            ("Observation", "_count", "1.5"),
            ("Observation", "_sort", "date,,status"),
        ])
    func invalidValue(resourceType: String, name: String, value: String) {
        var error: SearchQueryError?
        do {
            _ = try SearchQuery.parse(resourceType: resourceType, parameters: [(name, value)])
        } catch let thrown {
            error = thrown
        }
        guard case .invalidValue(let parameter, let reported, let expected) = error else {
            Issue.record("expected invalidValue for \(name)=\(value), got \(String(describing: error))")
            return
        }
        #expect(parameter == name)
        #expect(reported == value)
        #expect(!expected.isEmpty)
        #expect(error?.description.contains("'\(value)'") == true)
        #expect(error?.issueCode == "invalid")
    }
}
