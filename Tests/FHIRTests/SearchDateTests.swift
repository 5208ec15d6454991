import FHIR
import Testing

@Suite("Search dates")
struct SearchDateTests {
    private func millis(_ text: String) -> Int64 { SearchTestSupport.millis(text) }

    @Test(
        "partial dates are the half-open UTC range of their precision",
        arguments: [
            ("2017", "2017-01-01T00:00:00Z", "2018-01-01T00:00:00Z"),
            ("2016-02", "2016-02-01T00:00:00Z", "2016-03-01T00:00:00Z"),
            ("2017-12", "2017-12-01T00:00:00Z", "2018-01-01T00:00:00Z"),
            ("2016-02-29", "2016-02-29T00:00:00Z", "2016-03-01T00:00:00Z"),
            ("2017-03-01T10:15", "2017-03-01T10:15:00Z", "2017-03-01T10:16:00Z"),
            ("2017-03-01T10:15:30Z", "2017-03-01T10:15:30Z", "2017-03-01T10:15:31Z"),
            ("1969-12-31", "1969-12-31T00:00:00Z", "1970-01-01T00:00:00Z"),
        ])
    func partialRanges(text: String, lower: String, upper: String) throws {
        let range = try #require(DateRange(fhirDate: text))
        #expect(range.lowerBound == millis(lower))
        #expect(range.upperBound == millis(upper))
    }

    @Test("known instants convert to the right epoch milliseconds")
    func epochValues() throws {
        #expect(DateRange(fhirDate: "1970-01-01T00:00:00Z")?.lowerBound == 0)
        #expect(DateRange(fhirDate: "2017")?.lowerBound == 1_483_228_800_000)
        #expect(DateRange(fhirDate: "2018")?.lowerBound == 1_514_764_800_000)
        #expect(DateRange(fhirDate: "2000-03-01T00:00:00Z")?.lowerBound == 951_868_800_000)
        #expect(DateRange(fhirDate: "1900-01-01")?.lowerBound == -2_208_988_800_000)
        #expect(DateRange(fhirDate: "0001-01-01")?.lowerBound == -62_135_596_800_000)
    }

    @Test(
        "zones shift to UTC; a time without zone is UTC",
        arguments: [
            ("2017-06-01T12:00:00+02:00", "2017-06-01T10:00:00Z"),
            ("2017-06-01T12:00:00-05:30", "2017-06-01T17:30:00Z"),
            ("2017-06-01T00:30:00+01:00", "2017-05-31T23:30:00Z"),
            ("2017-06-01T12:00:00", "2017-06-01T12:00:00Z"),
            ("2017-06-01T12:00:00+14:00", "2017-05-31T22:00:00Z"),
        ])
    func zones(text: String, utc: String) throws {
        #expect(DateRange(fhirDate: text)?.lowerBound == millis(utc))
    }

    @Test(
        "fractions set the precision, down to the millisecond",
        arguments: [
            ("2017-06-01T10:00:00.5Z", 500, 100),
            ("2017-06-01T10:00:00.25Z", 250, 10),
            ("2017-06-01T10:00:00.123Z", 123, 1),
            ("2017-06-01T10:00:00.123456+00:00", 123, 1),
        ] as [(String, Int64, Int64)])
    func fractions(text: String, offset: Int64, width: Int64) throws {
        let range = try #require(DateRange(fhirDate: text))
        #expect(range.lowerBound == millis("2017-06-01T10:00:00Z") + offset)
        #expect(range.upperBound - range.lowerBound == width)
    }

    @Test(
        "malformed or impossible dates are rejected",
        arguments: [
            "", "17", "2017-1", "2017-00", "2017-13", "2017-02-29", "2017-04-31", "2017-01-01T", "2017-01-01T10",
            "2017-01-01T24:00:00Z", "2017-01-01T10:60:00Z", "2017-01-01T10:00:61Z", "2017-01-01T10:00:00.Z",
            "2017-01-01T10:00:00+2:00", "2017-01-01T10:00:00+15:00", "2017-01-01Z", "2017-01-01 10:00:00",
            "0000", "2017-01-01T10:00:00Zjunk", "２０１７",
        ])
    func malformed(text: String) {
        #expect(DateRange(fhirDate: text) == nil)
    }

    @Test(
        "date search values carry their prefix; eq by default",
        arguments: [
            ("2017", SearchPrefix.eq), ("eq2017", .eq), ("ne2017", .ne), ("gt2017", .gt), ("lt2017", .lt),
            ("ge2017", .ge), ("le2017", .le), ("sa2017", .sa), ("eb2017", .eb),
        ])
    func prefixes(value: String, prefix: SearchPrefix) throws {
        let query = try SearchQuery.parse(resourceType: "Observation", parameters: [("date", value)])
        let expected = DateComparison(prefix: prefix, range: try #require(DateRange(fhirDate: "2017")))
        #expect(query.clauses[0].values == [.date(expected)])
    }

    @Test("the approximate prefix 'ap' is refused with an explanation")
    func approximateRefused() throws {
        let error = SearchTestSupport.error("Observation", "date=ap2017")
        #expect(try #require(error).description.contains("'ap' is not supported"))
    }

    @Test("contains and overlaps treat the upper bound as excluded")
    func rangeRelations() throws {
        let year = try #require(DateRange(fhirDate: "2017"))
        let lastDay = try #require(DateRange(fhirDate: "2017-12-31"))
        let nextYear = try #require(DateRange(fhirDate: "2018"))
        #expect(year.contains(lastDay))
        #expect(!year.overlaps(nextYear))
        #expect(DateRange.unbounded.contains(year))
        #expect(year.description == "[1483228800000, 1514764800000)")
        #expect(DateRange.unbounded.description == "[-∞, +∞)")
    }
}
