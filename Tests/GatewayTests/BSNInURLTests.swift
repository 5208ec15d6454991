import FHIR
import Foundation
import Testing

@testable import Gateway

/// A BSN anywhere in a URL is refused with 400 before anything is served; codes that happen to pass
/// the eleven-test (SNOMED CT 275711006, the BgZ lab category) are not BSNs.
@Suite("A BSN in the URL is refused; a code that looks like one is not")
struct BSNInURLTests {
    static let bsn = TestData.bsnOfP1

    @Test("BSN-shaped numbers are found in paths and in any query value", arguments: [
        ("/fhir/Patient/\(bsn)", ""),
        ("/fhir/Patient/\(bsn)/_history", ""),
        ("/fhir/Observation", "_id=\(bsn)"),
        ("/fhir/Patient", "identifier=http://fhir.nl/fhir/NamingSystem/bsn%7C\(bsn)"),
        ("/fhir/Patient", "identifier=http://example.org/ids%7C\(bsn)"),
        ("/fhir/Patient", "identifier=\(bsn)"),
        ("/fhir/Observation", "patient.identifier=\(bsn)"),
        ("/fhir/Observation", "code:text=\(bsn)"),
        ("/fhir/Observation", "code=http://fhir.nl/fhir/NamingSystem/bsn%7C\(bsn)"),
        ("/fhir/Patient", "name=bsn-\(bsn)"),
        ("/fhir/Patient", "name=bsn\(bsn)"),
        ("/fhir/Observation", "_cursor=x&note=\(bsn)"),
    ])
    func refused(_ path: String, _ query: String) {
        #expect(BSNInURL.found(path: path, query: query))
    }

    @Test("codes, dates, counts and server ids are not BSNs", arguments: [
        ("/fhir/Observation", "category=http://snomed.info/sct%7C275711006"),
        ("/fhir/Observation", "category=275711006"),
        ("/fhir/Observation", "code=http://snomed.info/sct%7C275711006,http://loinc.org%7C85354-9"),
        ("/fhir/Observation/$lastn", "code:below=http://snomed.info/sct%7C275711006"),
        ("/fhir/Condition", "code=http://snomed.info/sct%7C275711006"),
        ("/fhir/Observation", "date=ge2024-01-01T10:00:00%2B01:00&_count=50"),
        ("/fhir/Observation/0b9f6c4e-2c1d-4e1a-9f0e-\(bsn)abc", ""),
        ("/fhir/Observation/pzc-park-park-diary-f\(bsn)a", ""),
        ("/fhir/Patient/p1", ""),
        ("/fhir/Observation", "_id=123456789"),
    ])
    func accepted(_ path: String, _ query: String) {
        #expect(!BSNInURL.found(path: path, query: query), "\(path)?\(query)")
    }

    @Test("a BSN in the path or in _id answers 400 before anything is served, without echoing it", arguments: [
        "/fhir/Patient/\(bsn)", "/fhir/Observation?_id=\(bsn)", "/fhir/Observation?identifier=urn:oid:1.2.3%7C\(bsn)",
        "/fhir/Observation/$lastn?code=http://loinc.org%7C85354-9&_id=\(bsn)",
    ])
    func refusedOverTLS(_ path: String) async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let reply = try await gateway.request(.GET, path, token: token)
            #expect(reply.status == 400)
            #expect(try reply.json()["issue"]?.elements.first?["code"]?.stringValue == "security")
            #expect(!reply.text.contains(Self.bsn))
            let logged = try await gateway.auditRecords().map(\.event.path)
            #expect(!logged.contains { $0.contains(Self.bsn) })
        }
    }

    @Test("a search by a SNOMED CT code that passes the eleven-test is served")
    func snomedCodeServed() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            for query in ["category=http://snomed.info/sct%7C275711006", "code=http://snomed.info/sct%7C275711006"] {
                let reply = try await gateway.request(.GET, "/fhir/Observation?\(query)", token: token)
                #expect(reply.status == 200, "\(query): \(reply.text)")
            }
        }
    }
}
