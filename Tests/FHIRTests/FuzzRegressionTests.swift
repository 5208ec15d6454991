import FHIR
import Testing

/// Inputs the fuzz targets in `Fuzz/` (or a review of what they feed) showed to crash a reader, each
/// with the behaviour the fixed reader has. The inputs are also in `Fuzz/Corpus/`.
@Suite("Fuzz regressions: FHIR readers")
struct FuzzRegressionTests {
    @Test(
        "search number with exponent Int.min parses as zero instead of overflowing",
        arguments: ["1.5e-9223372036854775808", "1e-9223372036854775808", "gt1.50e-99999999999999999999"])
    func searchNumberWithExtremeNegativeExponent(value: String) throws {
        // `halfUnitOfLastDigit` subtracted the digits after the point from the written exponent: Int.min - 1 trapped.
        let query = try SearchQuery.parse(resourceType: "Observation", parameters: [("value-quantity", value)])
        guard case .quantity(let quantity)? = query.clauses.first?.values.first else {
            Issue.record("expected one quantity value, got \(query.clauses)")
            return
        }
        #expect(quantity.number.value == 0)
        #expect(quantity.number.lowerBound <= 0 && quantity.number.upperBound >= 0)
    }

    @Test("search number with an exponent too long for Int is still refused when it overflows Double")
    func searchNumberWithHugePositiveExponent() {
        #expect(throws: SearchQueryError.self) {
            try SearchQuery.parse(resourceType: "Encounter", parameters: [("length", "1e99999999999999999999")])
        }
    }

    @Test(
        "XML elements that would turn into something else in the JSON-shaped tree are refused, naming the element",
        arguments: [
            // Found by xml-reader: `_x` became the id/extension side of primitive `x`, so writing the
            // XML again dropped one underscore per round and lost the value.
            (#"<Patient xmlns="http://hl7.org/fhir"><vaitce /><__________futuaitce /><__________futureTh555g value="]"/></Patient>"#,
             "<__________futuaitce>"),
            (#"<Patient xmlns="http://hl7.org/fhir"><_gender value="male"/></Patient>"#, "<_gender>"),
            // Found in review of the above: a child `resourceType` replaced the resource's own type.
            (#"<Patient xmlns="http://hl7.org/fhir"><resourceType value="Observation"/></Patient>"#, "<resourceType>"),
            (#"<Patient xmlns="http://hl7.org/fhir"><name><resourceType value="x"/></name></Patient>"#, "<resourceType>"),
        ])
    func xmlElementsThatCollideWithJSONShapes(input: String, named element: String) {
        #expect {
            try FHIRXML.parseResource(Array(input.utf8))
        } throws: { error in
            "\(error)".contains(element)
        }
    }
}
