import Consent
import FHIR
import Foundation
import Store
import Testing

@testable import Gateway

/// The patient's access consents as read-only STU3 `Consent` resources for the patient's own token.
@Suite("Access consents as FHIR Consent resources")
struct AccessConsentResourceTests {
    static let category = "http://zorgnet.example/fhir/CodeSystem/consent-category%7Caccess-consent"

    static func categoryCode(_ resource: FHIRValue) -> String? {
        resource["category"]?.elements.first?["coding"]?.elements.first?["code"]?.stringValue
    }

    @Test("the patient's token searches, reads and pages the history of its own access consents, in JSON and XML")
    func ownConsents() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1", consent: .none)
            let consent = try await gateway.grantConsent(patient: "p1", categories: [.medication], id: "consent-p1")
            try await gateway.recordConsent(consent.revoked(at: Date()))

            let search = try await gateway.request(.GET, "/fhir/Consent?category=\(Self.category)", token: token).json()
            #expect(ConsentEnforcementTests.ids(search) == ["Consent/consent-p1"])
            #expect(search["total"]?.numberValue?.intValue == 1)
            let current = try await gateway.request(.GET, "/fhir/Consent/consent-p1", token: token)
            #expect(current.status == 200)
            #expect(current.header("etag") == "W/\"2\"")
            let resource = try current.json()
            #expect(resource["status"]?.stringValue == "inactive")
            #expect(Self.categoryCode(resource) == "access-consent")
            #expect(resource["patient"]?["reference"]?.stringValue == "Patient/p1")

            let first = try await gateway.request(.GET, "/fhir/Consent/consent-p1/_history/1", token: token).json()
            #expect(first["status"]?.stringValue == "active")
            let history = try await gateway.request(.GET, "/fhir/Consent/consent-p1/_history", token: token).json()
            #expect(history["total"]?.numberValue?.intValue == 2)

            let xml = try await gateway.request(.GET, "/fhir/Consent/consent-p1?_format=xml", token: token)
            #expect(xml.header("content-type")?.hasPrefix("application/fhir+xml") == true)
            let parsed = FHIRValue.object(try FHIRXML.parseResource(xml.body).content)
            #expect(parsed["id"]?.stringValue == "consent-p1")
            #expect(Self.categoryCode(parsed) == "access-consent")
            let xmlSearch = try await gateway.request(.GET, "/fhir/Consent?category=\(Self.category)&_format=xml", token: token)
            let xmlBundle = FHIRValue.object(try FHIRXML.parseResource(xmlSearch.body).content)
            #expect(ConsentEnforcementTests.ids(xmlBundle) == ["Consent/consent-p1"])
        }
    }

    @Test("another patient's access consents are invisible to the token, however asked for")
    func othersConsents() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1", consent: .none)
            try await gateway.grantConsent(patient: "p1", categories: [.everything], id: "consent-p1")
            try await gateway.grantConsent(patient: "p2", categories: [.everything], id: "consent-p2")
            let search = try await gateway.request(.GET, "/fhir/Consent?category=\(Self.category)", token: token).json()
            #expect(ConsentEnforcementTests.ids(search) == ["Consent/consent-p1"])
            for path in ["/fhir/Consent/consent-p2", "/fhir/Consent/consent-p2/_history", "/fhir/Consent/consent-p2/_history/1"] {
                #expect(try await gateway.request(.GET, path, token: token).status == 404, "\(path)")
            }
            let byID = try await gateway.request(.GET, "/fhir/Consent?_id=consent-p2", token: token).json()
            #expect(byID["total"]?.numberValue?.intValue == 0)
        }
    }

    @Test("the zib directives stay ordinary data: served with a consent for directives, not without one")
    func directivesAreDecided() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            let patient = "pzc-wils-patient"
            let treatment = "/fhir/Consent?category=http://snomed.info/sct%7C11291000146105"
            let none = try await gateway.token(patient: patient, consent: .categories([.medication]))
            #expect(try await gateway.request(.GET, treatment, token: none).json()["total"]?.numberValue?.intValue == 0)
            try await gateway.grantConsent(patient: patient, categories: [.directives])
            let bundle = try await gateway.request(.GET, treatment, token: none).json()
            #expect(BgZQueryTests.counts(bundle) == ["Consent:match": 4])
            // Both kinds answer an unfiltered Consent search: four plus two directives and two access consents.
            let all = try await gateway.request(.GET, "/fhir/Consent", token: none).json()
            #expect(all["total"]?.numberValue?.intValue == 8)
        }
    }
}
