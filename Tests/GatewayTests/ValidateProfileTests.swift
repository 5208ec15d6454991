import FHIR
import Foundation
import Testing

@testable import Gateway

@Suite("$validate checks the profiles a resource claims")
struct ValidateProfileTests {
    static let bloodPressure = """
        {"resourceType": "Observation", "id": "bp",
         "meta": {"profile": ["http://nictiz.nl/fhir/StructureDefinition/zib-BloodPressure"]},
         "status": "done",
         "category": [{"coding": [{"system": "http://hl7.org/fhir/observation-category", "code": "vital-signs", "display": "Vital Signs"}]}],
         "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9", "display": "Blood pressure"}]},
         "effectiveDateTime": "2026-11-01T09:00:00+01:00",
         "component": [{"code": {"coding": [{"system": "http://loinc.org", "code": "8462-4", "display": "Diastolic"}]},
                        "valueQuantity": {"value": 80, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}}]}
        """

    @Test("each broken rule is one issue with its location and the rule")
    func issuesWithLocations() async throws {
        try await GatewayHarness.withGateway { gateway in
            let reply = try await gateway.request(
                .POST, "/fhir/Observation/$validate", headers: [("Content-Type", "application/fhir+json")],
                body: Array(Self.bloodPressure.utf8))
            #expect(reply.status == 200)
            let issues = try reply.json()["issue"]?.elements ?? []
            let locations = issues.compactMap { $0["expression"]?.elements.first?.stringValue }
            let rules = issues.compactMap { $0["diagnostics"]?.stringValue }
            #expect(issues.count >= 3, "\(rules)")
            #expect(locations.contains("Observation.subject"), "missing subject: \(locations)")
            #expect(locations.contains("Observation.status"), "status outside its binding: \(locations)")
            #expect(rules.contains { $0.contains("SystolicBP") }, "missing systolic component: \(rules)")
            #expect(issues.allSatisfy { $0["severity"]?.stringValue == "error" || $0["severity"]?.stringValue == "warning" })
        }
    }
}
