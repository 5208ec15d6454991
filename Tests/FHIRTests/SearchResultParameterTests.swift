import FHIR
import Testing

@Suite("Search result parameters")
struct SearchResultParameterTests {
    @Test("_count is kept, and lowered to the maximum page size", arguments: [("1", 1), ("50", 50), ("1000", 1000), ("5000", 1000)])
    func count(value: String, expected: Int) throws {
        #expect(try SearchTestSupport.parse("Observation", "_count=\(value)").count == expected)
    }

    @Test("_count may be given only once")
    func repeatedCount() {
        #expect(SearchTestSupport.error("Observation", "_count=5&_count=6") == .repeatedParameter("_count"))
    }

    @Test("_format and _pretty are left to the HTTP layer")
    func formatIgnored() throws {
        let query = try SearchTestSupport.parse("Patient", "_format=xml&_pretty=true&gender=female")
        #expect(query.clauses.map(\.parameter.name) == ["gender"])
    }

    @Test("_sort takes dates, _id and _lastUpdated, '-' for descending")
    func sort() throws {
        let query = try SearchTestSupport.parse("Observation", "_sort=-date,_id,-_lastUpdated")
        #expect(query.sort.map(\.parameter.name) == ["date", "_id", "_lastUpdated"])
        #expect(query.sort.map(\.descending) == [true, false, true])
    }

    @Test("_sort on a parameter that is not sortable names it and the sortable ones")
    func unsortable() throws {
        let error = SearchTestSupport.error("Observation", "_sort=-date,code")
        guard case .unsupportedSort(let name, let type, let sortable) = error else {
            Issue.record("expected unsupportedSort, got \(String(describing: error))")
            return
        }
        #expect(name == "code")
        #expect(type == "Observation")
        #expect(sortable.contains("date") && sortable.contains("_id") && !sortable.contains("code"))
        #expect(try #require(error).description.contains("'code'"))
    }

    @Test("_sort on an unknown parameter is refused too")
    func sortUnknown() {
        guard case .unsupportedSort("bogus", _, _) = SearchTestSupport.error("Patient", "_sort=bogus") else {
            Issue.record("expected unsupportedSort")
            return
        }
    }

    @Test(
        "offered includes are accepted",
        arguments: [
            ("Patient", "Patient:general-practitioner", nil as String?),
            ("Patient", "Patient:general-practitioner:Practitioner", "Practitioner"),
            ("Coverage", "Coverage:payor:Organization", "Organization"),
            ("Observation", "Observation:related-target", nil),
            ("DeviceRequest", "DeviceRequest:device", nil),
        ])
    func includeAccepted(resourceType: String, value: String, target: String?) throws {
        let query = try SearchTestSupport.parse(resourceType, "_include=\(value)")
        #expect(query.includes.count == 1)
        #expect(query.includes.first?.targetType == target)
        #expect(query.includes.first?.description == value)
    }

    @Test(
        "includes the server does not offer are refused, naming what is offered",
        arguments: [
            ("Observation", "*"),
            ("Observation", "Observation:*"),
            ("Observation", "Observation:subject"),
            ("Observation", "Observation:code"),
            ("Observation", "Patient:general-practitioner"),
            ("Coverage", "Coverage:payor"),
            ("Coverage", "Coverage:payor:RelatedPerson"),
            ("Patient", "Patient:general-practitioner:Patient"),
            ("Patient", "Patient"),
            ("Patient", "Patient:general-practitioner:Practitioner:x"),
        ])
    func includeRefused(resourceType: String, value: String) throws {
        let error = SearchTestSupport.error(resourceType, "_include=\(value)")
        guard case .unsupportedInclude(let reported, let type, let supported) = error else {
            Issue.record("expected unsupportedInclude for \(value), got \(String(describing: error))")
            return
        }
        #expect(reported == value)
        #expect(type == resourceType)
        #expect(supported == SearchParameterRegistry.stu3.includes(for: resourceType).map(\.description))
        #expect(try #require(error).issueCode == "not-supported")
    }

    @Test("the same include twice is requested once")
    func duplicateInclude() throws {
        let query = try SearchTestSupport.parse(
            "MedicationStatement", "_include=MedicationStatement:medication&_include=MedicationStatement:medication")
        #expect(query.includes.count == 1)
    }

    @Test("Binary offers only _id and _lastUpdated")
    func binary() throws {
        _ = try SearchTestSupport.parse("Binary", "_id=b1&_lastUpdated=ge2020")
        guard case .unsupportedParameters(["_profile"], _, _) = SearchTestSupport.error("Binary", "_profile=x") else {
            Issue.record("expected _profile to be refused on Binary")
            return
        }
    }

    @Test("the error text is fit for an OperationOutcome")
    func descriptions() {
        #expect(
            SearchQueryError.invalidValue(parameter: "date", value: "x", expected: "a date").description
                == "Invalid value 'x' for search parameter date: expected a date.")
        #expect(
            SearchQueryError.unsupportedParameters(["foo"], resourceType: "Flag", supported: ["_id"]).description
                == "Flag does not support the search parameter foo. Supported: _id.")
        #expect(SearchQueryError.repeatedParameter("_sort").description == "The search parameter _sort may be given only once.")
    }
}
