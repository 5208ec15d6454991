import FHIR
import Foundation
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

    @Test("$lastn refuses a max that is not a small positive number")
    func badMax() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            #expect(try await gateway.request(.GET, "/fhir/Observation/$lastn?max=0", token: token).status == 400)
        }
    }
}
