import Consent
import FHIR
import Foundation
import Store
import Testing

@testable import Gateway

/// The patient's consent decides every resource a PGO app receives, over real mutual TLS: matches,
/// `_include`s, totals, pages, `$lastn`, reads, vreads and history.
@Suite("Consent enforcement on the back channel")
struct ConsentEnforcementTests {
    /// The ids of a searchset's entries in one search mode, in order.
    static func ids(_ bundle: FHIRValue, mode: String = "match") -> [String] {
        (bundle["entry"]?.elements ?? []).filter { $0["search"]?["mode"]?.stringValue == mode }.compactMap {
            guard let type = $0["resource"]?["resourceType"]?.stringValue, let id = $0["resource"]?["id"]?.stringValue else { return nil }
            return "\(type)/\(id)"
        }
    }

    static func total(_ bundle: FHIRValue) -> Int? { bundle["total"]?.numberValue?.intValue }

    static func entries(_ bundle: FHIRValue) -> [FHIRValue] { bundle["entry"]?.elements ?? [] }

    @Test("a medication-only consent serves only the medication BgZ queries with their Medications, every other query is empty with total 0")
    func medicationOnly() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            let patient = "pzc-park-patient"
            let token = try await gateway.token(patient: patient, consent: .categories([.medication]))
            let medicationQueries: Set<Int> = [14, 15, 16]
            for query in BgZQueryTests.queries {
                let reply = try await gateway.request(.GET, "/fhir/\(query.path)", token: token)
                #expect(reply.status == 200, "#\(query.number)")
                let bundle = try reply.json()
                let expected = medicationQueries.contains(query.number) ? (BgZQueryTests.expected[patient]?[query.number] ?? [:]) : [:]
                #expect(BgZQueryTests.counts(bundle) == expected, "#\(query.number) \(query.zib)")
                #expect(Self.total(bundle) == (expected.filter { $0.key.hasSuffix(":match") }.values.reduce(0, +)), "#\(query.number) total")
            }
            // The medication query does serve something, so the empty ones are the consent's doing.
            let statements = try await gateway.request(.GET, "/fhir/MedicationStatement", token: token).json()
            #expect((Self.total(statements) ?? 0) >= 5)
            #expect(try await gateway.request(.GET, "/fhir/Patient/\(patient)", token: token).status == 404)
        }
    }

    @Test("an _include the consent does not cover is left out, while a supporting resource follows its permitted referrer")
    func includesAreDecided() async throws {
        try await GatewayHarness.withGateway(seed: ConsentTestData.seed) { gateway in
            let path = "/fhir/Coverage?_include=Coverage:payor:Patient&_include=Coverage:payor:Organization"
            let payerOnly = try await gateway.token(patient: "p1", consent: .categories([.payer]))
            let bundle = try await gateway.request(.GET, path, token: payerOnly).json()
            #expect(Self.ids(bundle) == ["Coverage/cov-p1"])
            #expect(Self.ids(bundle, mode: "include") == ["Organization/insurer"])
            #expect(Self.total(bundle) == 1)
            // Asked for on its own, the insurer needs a consent of its own.
            #expect(try await gateway.request(.GET, "/fhir/Organization/insurer", token: payerOnly).status == 404)

            try await gateway.grantConsent(patient: "p1", categories: [.patientAndContacts])
            let widened = try await gateway.request(.GET, path, token: payerOnly).json()
            #expect(Set(Self.ids(widened, mode: "include")) == ["Organization/insurer", "Patient/p1"])
        }
    }

    @Test("a resource reached only from a denied match is never included")
    func includeOfDeniedMatch() async throws {
        try await GatewayHarness.withGateway(seed: ConsentTestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1", consent: .categories([.supporting]))
            let bundle = try await gateway.request(.GET, "/fhir/Patient?_include=Patient:general-practitioner", token: token).json()
            #expect(Self.total(bundle) == 0)
            #expect(Self.entries(bundle).isEmpty)
        }
    }

    @Test("a revocation takes effect on the very next request with the same token")
    func revocationIsImmediate() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1", consent: .none)
            let consent = try await gateway.grantConsent(patient: "p1", categories: [.everything])
            #expect(Self.total(try await gateway.request(.GET, "/fhir/Observation", token: token).json()) == 3)
            #expect(try await gateway.request(.GET, "/fhir/Observation/bp-p1-1", token: token).status == 200)

            try await gateway.recordConsent(consent.revoked(at: Date()))
            let after = try await gateway.request(.GET, "/fhir/Observation", token: token).json()
            #expect(Self.total(after) == 0)
            #expect(Self.entries(after).isEmpty)
            #expect(try await gateway.request(.GET, "/fhir/Observation/bp-p1-1", token: token).status == 404)
        }
    }

    @Test("without any consent nothing is served: searches are empty, reads, vreads, history and $lastn find nothing")
    func noConsentNothingServed() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1", consent: .none)
            for path in ["/fhir/Patient", "/fhir/Observation", "/fhir/Practitioner", "/fhir/Observation/$lastn?code=http://loinc.org%7C85354-9"] {
                let bundle = try await gateway.request(.GET, path, token: token).json()
                #expect(Self.total(bundle) == 0, "\(path)")
                #expect(Self.entries(bundle).isEmpty, "\(path)")
            }
            for path in ["/fhir/Patient/p1", "/fhir/Patient/p1/_history", "/fhir/Patient/p1/_history/1", "/fhir/Practitioner/gp1"] {
                #expect(try await gateway.request(.GET, path, token: token).status == 404, "\(path)")
            }
        }
    }

    @Test("a denied read, vread or history answers exactly like a resource that does not exist, even with If-None-Match")
    func deniedReadIsNotFound() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1", consent: .categories([.medication]))
            let missing = try await gateway.request(.GET, "/fhir/Observation/no-such-thing", token: token)
            let denied = try await gateway.request(.GET, "/fhir/Observation/bp-p1-1", token: token)
            #expect(denied.status == 404)
            #expect(try denied.json()["issue"]?.elements.first?["code"]?.stringValue == "not-found")
            #expect(denied.text.replacingOccurrences(of: "bp-p1-1", with: "no-such-thing") == missing.text)
            let conditional = try await gateway.request(.GET, "/fhir/Observation/bp-p1-1", token: token, headers: [("If-None-Match", "W/\"1\"")])
            #expect(conditional.status == 404)
            #expect(try await gateway.request(.GET, "/fhir/Observation/bp-p1-1/_history/1", token: token).status == 404)
            #expect(try await gateway.request(.GET, "/fhir/Observation/bp-p1-1/_history", token: token).status == 404)
        }
    }

    @Test("paging under a partial consent fills every page, counts only permitted matches and reaches every one of them")
    func pagingNeverTruncates() async throws {
        try await GatewayHarness.withGateway(seed: ConsentTestData.seedManyObservations) { gateway in
            let token = try await gateway.token(patient: "p1", consent: .categories([.vitalSigns]))
            var path: String? = "/fhir/Observation?_count=3&_sort=date"
            var served = [String]()
            var pageSizes = [Int]()
            while let next = path {
                let bundle = try await gateway.request(.GET, next, token: token).json()
                #expect(Self.total(bundle) == 13)
                let page = Self.ids(bundle)
                served += page
                pageSizes.append(page.count)
                let link = bundle["link"]?.elements.first { $0["relation"]?.stringValue == "next" }?["url"]?.stringValue
                path = link.flatMap { url in url.range(of: "/fhir/").map { String(url[$0.lowerBound...]) } }
                #expect(pageSizes.count < 10, "paging does not end")
            }
            #expect(pageSizes == [3, 3, 3, 3, 1])
            #expect(served.count == 13)
            #expect(Set(served).count == 13)
            #expect(served.allSatisfy { $0.hasPrefix("Observation/bp-") || $0.hasPrefix("Observation/vital-") })
        }
    }

    @Test("a data period decides by the data's own date, and $lastn serves the latest observation the consent permits")
    func dataPeriod() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1", consent: .none)
            let until = ISO8601DateFormatter().date(from: "2026-10-15T00:00:00Z") ?? Date()
            try await gateway.grantConsent(patient: "p1", categories: [.vitalSigns], dataPeriod: ConsentPeriod(end: until))
            let search = try await gateway.request(.GET, "/fhir/Observation?_sort=date", token: token).json()
            #expect(Self.ids(search) == ["Observation/bp-p1-3", "Observation/bp-p1-1"])
            let latest = try await gateway.request(.GET, "/fhir/Observation/$lastn?code=http://loinc.org%7C85354-9", token: token).json()
            #expect(Self.ids(latest) == ["Observation/bp-p1-1"])
            #expect(try await gateway.request(.GET, "/fhir/Observation/bp-p1-2", token: token).status == 404)
        }
    }

    @Test("a token of one patient finds nothing of another patient, consents included")
    func otherPatientsDataIsNotFound() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let tokenP1 = try await gateway.token(patient: "p1")
            let consentP2 = try await gateway.grantConsent(patient: "p2", categories: [.everything])
            for path in [
                "/fhir/Patient/p2", "/fhir/Observation/bp-p2-1", "/fhir/Observation/bp-p2-1/_history",
                "/fhir/Consent/\(consentP2.id)", "/fhir/Consent/\(consentP2.id)/_history/1",
            ] {
                #expect(try await gateway.request(.GET, path, token: tokenP1).status == 404, "\(path)")
            }
            let search = try await gateway.request(.GET, "/fhir/Observation?_id=bp-p2-1", token: tokenP1).json()
            #expect(Self.total(search) == 0)
            let consents = try await gateway.request(.GET, "/fhir/Consent", token: tokenP1).json()
            #expect(!Self.ids(consents).contains("Consent/\(consentP2.id)"))
        }
    }
}
