import FHIR
import Foundation
import Store
import Testing

@testable import Gateway

@Suite("Search over the back listener")
struct SearchTests {
    static func ids(_ bundle: FHIRValue, mode: String = "match") -> [String] {
        (bundle["entry"]?.elements ?? []).filter { $0["search"]?["mode"]?.stringValue == mode }
            .compactMap { $0["resource"]?["id"]?.stringValue }
    }

    @Test("a search returns only the token's patient's resources, with total and a self link")
    func compartmentFiltered() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, "/fhir/Observation?code=http%3A%2F%2Floinc.org%7C85354-9", token: token)
            #expect(reply.status == 200)
            let bundle = try reply.json()
            #expect(bundle["type"]?.stringValue == "searchset")
            #expect(Set(Self.ids(bundle)) == ["bp-p1-1", "bp-p1-2", "bp-p1-3"])
            #expect(bundle["total"]?.numberValue?.intValue == 3)
            let selfLink = bundle["link"]?.elements.first { $0["relation"]?.stringValue == "self" }?["url"]?.stringValue
            #expect(selfLink?.contains("code=http:%2F%2Floinc.org%7C85354-9") == true)
        }
    }

    @Test("decimals keep their written precision through store and search")
    func decimalPrecision() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, "/fhir/Observation?_id=bp-p1-2", token: token)
            #expect(reply.text.contains("\"value\":132.0"))
        }
    }

    @Test("date prefixes select by effective date", arguments: [
        ("date=ge2026-01-01", ["bp-p1-1", "bp-p1-2"]),
        ("date=lt2026", ["bp-p1-3"]),
        ("date=2026-10", ["bp-p1-1"]),
        ("date=ne2026-10", ["bp-p1-2", "bp-p1-3"]),
        ("date=gt2026-10-01&date=le2026-12-31", ["bp-p1-2"]),
    ])
    func dates(_ query: String, _ expected: [String]) async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let bundle = try await gateway.request(.GET, "/fhir/Observation?\(query)", token: token).json()
            #expect(Set(Self.ids(bundle)) == Set(expected))
        }
    }

    @Test("_sort on date orders the matches")
    func sortByDate() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let ascending = try await gateway.request(.GET, "/fhir/Observation?_sort=date", token: token).json()
            #expect(Self.ids(ascending) == ["bp-p1-3", "bp-p1-1", "bp-p1-2"])
            let descending = try await gateway.request(.GET, "/fhir/Observation?_sort=-date", token: token).json()
            #expect(Self.ids(descending) == ["bp-p1-2", "bp-p1-1", "bp-p1-3"])
        }
    }

    @Test("_count pages through a stable result with next links")
    func paging() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            var path: String? = "/fhir/Observation?_sort=date&_count=2"
            var seen = [String]()
            var pages = 0
            while let current = path, pages < 5 {
                let bundle = try await gateway.request(.GET, current, token: token).json()
                #expect(bundle["total"]?.numberValue?.intValue == 3)
                seen += Self.ids(bundle)
                pages += 1
                let next = bundle["link"]?.elements.first { $0["relation"]?.stringValue == "next" }?["url"]?.stringValue
                path = next.map { String($0.dropFirst(gateway.backURL.count)) }
            }
            #expect(pages == 2)
            #expect(seen == ["bp-p1-3", "bp-p1-1", "bp-p1-2"])
        }
    }

    @Test("_include adds the referenced general practitioner as an include entry")
    func include() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let bundle = try await gateway.request(.GET, "/fhir/Patient?_include=Patient:general-practitioner", token: token).json()
            #expect(Self.ids(bundle) == ["p1"])
            #expect(Self.ids(bundle, mode: "include") == ["gp1"])
        }
    }

    @Test("POST _search with a form body searches like GET")
    func postSearch() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(
                .POST, "/fhir/Observation/_search", token: token,
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("date=lt2026".utf8))
            #expect(Self.ids(try reply.json()) == ["bp-p1-3"])
            let wrongType = try await gateway.request(
                .POST, "/fhir/Observation/_search", token: token, headers: [("Content-Type", "text/plain")], body: Array("x".utf8))
            #expect(wrongType.status == 415)
        }
    }

    @Test("unsupported parameters answer 400 naming each of them")
    func unsupportedParameters() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, "/fhir/Observation?colour=red&flavour=sweet", token: token)
            #expect(reply.status == 400)
            let diagnostics = try reply.json()["issue"]?.elements.first?["diagnostics"]?.stringValue ?? ""
            #expect(diagnostics.contains("colour"))
            #expect(diagnostics.contains("flavour"))
        }
    }

    @Test("naming a patient or a BSN in the URL is refused", arguments: [
        "/fhir/Observation?patient=p2", "/fhir/Observation?subject=Patient/p2",
        "/fhir/Patient?identifier=http://fhir.nl/fhir/NamingSystem/bsn%7C999911132",
    ])
    func patientFromTokenOnly(_ path: String) async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, path, token: token)
            #expect(reply.status == 400)
            #expect(!reply.text.contains("999911132"))
        }
    }

    static func nextLink(_ bundle: FHIRValue) -> String? {
        bundle["link"]?.elements.first { $0["relation"]?.stringValue == "next" }?["url"]?.stringValue
    }

    @Test("next links keep _format and _pretty, and an update between pages repeats and skips nothing")
    func stablePagingOverHTTP() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            var path: String? = "/fhir/Observation?_sort=-date&_count=1&_format=json&_pretty=true"
            var seen = [String]()
            var totals = Set<Int>()
            while let current = path, seen.count < 10 {
                let bundle = try await gateway.request(.GET, current, token: token).json()
                seen += Self.ids(bundle)
                totals.insert(bundle["total"]?.numberValue?.intValue ?? -1)
                let next = Self.nextLink(bundle)
                if let next {
                    #expect(next.contains("_format=json") && next.contains("_pretty=true"), "\(next)")
                }
                if seen.count == 1 {
                    // Page 1's resource gets a new version; offset paging over `last_updated <= snapshot` lost it.
                    let changed = try FHIRResource(
                        TestData.bloodPressure("bp-p1-2", patient: "p1", date: "2026-11-01T09:30:00+01:00", systolic: "133").objectValue ?? [:])
                    _ = try await ResourceRepository(database: gateway.database).store(
                        [IncomingResource(resource: changed, receivedFormat: .json, receivedBytes: FHIRJSON.serialize(changed))])
                }
                path = next.map { String($0.dropFirst(gateway.backURL.count)) }
            }
            #expect(seen == ["bp-p1-2", "bp-p1-1", "bp-p1-3"])
            #expect(totals == [3])
        }
    }

    @Test("a cursor that this server did not issue answers 400 naming _cursor")
    func badCursor() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, "/fhir/Observation?_cursor=eyJzIjoxfQ", token: token)
            #expect(reply.status == 400)
            #expect(try reply.json()["issue"]?.elements.first?["diagnostics"]?.stringValue?.contains("_cursor") == true)
        }
    }

    @Test("_format in a POST _search form body is honoured, and an unknown one refused")
    func formatInForm() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let form = [("Content-Type", "application/x-www-form-urlencoded")]
            let xml = try await gateway.request(.POST, "/fhir/Observation/_search", token: token, headers: form, body: Array("date=lt2026&_format=xml".utf8))
            #expect(xml.status == 200)
            #expect(xml.header("content-type")?.hasPrefix("application/fhir+xml") == true)
            #expect(try FHIRXML.parseResource(xml.body).resourceType == "Bundle")
            let csv = try await gateway.request(.POST, "/fhir/Observation/_search", token: token, headers: form, body: Array("_format=csv".utf8))
            #expect(csv.status == 406)
        }
    }

    @Test(":exact matches case as written over HTTP", arguments: [("family:exact=JANSEN", [String]()), ("family:exact=Jansen", ["p1"])])
    func exactOverHTTP(_ query: String, _ expected: [String]) async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, "/fhir/Patient?\(query)", token: token)
            #expect(reply.status == 200)
            #expect(Self.ids(try reply.json()) == expected)
        }
    }

    @Test("a BSN is refused as OID-system token or as a bare eleven-test number in identifier parameters", arguments: [
        "/fhir/Patient?identifier=urn:oid:2.16.840.1.113883.2.4.6.3%7C999911132",
        "/fhir/Patient?identifier=999911132", "/fhir/Patient?identifier=%7C999911132",
        "/fhir/Practitioner?identifier=x,999911132",
    ])
    func bsnSpellings(_ path: String) async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, path, token: token)
            #expect(reply.status == 400)
            #expect(!reply.text.contains("999911132"))
        }
    }

    @Test("a nine-digit identifier that fails the eleven-test is an ordinary search")
    func nonBSNIdentifier() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, "/fhir/Practitioner?identifier=123456789", token: token)
            #expect(reply.status == 200)
            #expect(Self.ids(try reply.json()) == ["gp1"])
        }
    }

    @Test("searching as XML gives a searchset Bundle in XML")
    func xmlBundle() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, "/fhir/Observation?_format=xml", token: token)
            let bundle = try FHIRXML.parseResource(reply.body)
            #expect(bundle.resourceType == "Bundle")
            #expect(bundle["entry"]?.elements.count == 3)
        }
    }
}

@Suite("Observation/$lastn")
struct LastNTests {
    @Test("$lastn returns the newest observation per code, and max widens it", arguments: [
        ("", ["bp-p1-2"]),
        ("&max=2", ["bp-p1-2", "bp-p1-1"]),
        ("&max=9", ["bp-p1-2", "bp-p1-1", "bp-p1-3"]),
    ])
    func newestPerCode(_ extra: String, _ expected: [String]) async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, "/fhir/Observation/$lastn?code=http://loinc.org%7C85354-9\(extra)", token: token)
            #expect(reply.status == 200)
            let bundle = try reply.json()
            #expect(SearchTests.ids(bundle) == expected)
            #expect(bundle["total"]?.numberValue?.intValue == expected.count)
        }
    }

    @Test("$lastn groups by the codes asked for: a lying height (which is also a height) counts as a height only when only heights are asked for", arguments: [
        ("http://loinc.org%7C8302-2", 1, false),
        ("http://loinc.org%7C8306-3", 1, true),
        ("http://loinc.org%7C8302-2,http://loinc.org%7C8306-3", 2, true),
    ])
    func groupsByRequestedCodes(_ codes: String, _ count: Int, _ includesLying: Bool) async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            let token = try await gateway.token(patient: "pzc-kind-patient")
            let bundle = try await gateway.request(.GET, "/fhir/Observation/$lastn?code=\(codes)", token: token).json()
            let entries = bundle["entry"]?.elements ?? []
            #expect(entries.count == count)
            let lying = entries.contains { entry in
                (entry["resource"]?["code"]?["coding"]?.elements ?? []).contains { $0["code"]?.stringValue == "8306-3" }
            }
            #expect(lying == includesLying)
        }
    }

    @Test("$lastn refuses a max that is not a small positive number")
    func badMax() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            #expect(try await gateway.request(.GET, "/fhir/Observation/$lastn?max=0", token: token).status == 400)
        }
    }
}
