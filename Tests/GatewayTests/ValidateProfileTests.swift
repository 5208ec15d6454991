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
            // Exactly the four rules the resource breaks: status outside its binding, one component where
            // zib-BloodPressure needs two, the systolic one missing, no subject. Nothing else.
            let triples = issues.map {
                "\($0["severity"]?.stringValue ?? "?") | \($0["expression"]?.elements.first?.stringValue ?? "?") | \($0["diagnostics"]?.stringValue ?? "?")"
            }
            #expect(triples == [
                "error | Observation.status | required binding http://hl7.org/fhir/ValueSet/observation-status (zib-BloodPressure): done is not in the required value set",
                "error | Observation.component | min 2 on Observation.component (zib-BloodPressure): needs at least 2, found 1",
                "error | Observation.component | min 1 on Observation.component:SystolicBP (zib-BloodPressure): needs at least 1, found 0",
                "error | Observation.subject | min 1 on Observation.subject (zib-BloodPressure): needs at least 1, found 0",
            ])
        }
    }
}
