import FHIR
import Foundation
import Testing
import Zib

/// The project's own `Profiles/` loaded as the gateway loads them, against hand-made resources:
/// each broken rule must come back as one issue naming where and which rule.
@Suite("Validating against the project's Profiles/")
struct ValidationProjectProfilesTests {
    static let bloodPressureURL = "http://nictiz.nl/fhir/StructureDefinition/zib-BloodPressure"

    static func validator() throws -> ProfileValidator {
        try ProfileValidator.loadProjectProfiles(from: ValidationFixtures.profilesDirectory.path)
    }

    /// A conforming zib-BloodPressure; `component`, `status` and `extra` let tests break it.
    static func bloodPressure(
        status: String = "final", systolicUnit: String = "mm[Hg]", components: [String]? = nil, subject: Bool = true
    ) throws -> FHIRResource {
        func component(_ code: String, _ value: Int, unit: String = "mm[Hg]") -> String {
            """
            {"code": {"coding": [{"system": "http://loinc.org", "code": "\(code)"}]},
             "valueQuantity": {"value": \(value), "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "\(unit)"}}
            """
        }
        let parts = components ?? [component("8480-6", 120, unit: systolicUnit), component("8462-4", 80)]
        return try ValidationFixtures.resource("""
            {"resourceType": "Observation", "meta": {"profile": ["\(bloodPressureURL)"]},
             "status": "\(status)",
             "category": [{"coding": [{"system": "http://hl7.org/fhir/observation-category", "code": "vital-signs"}]}],
             "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
             \(subject ? #""subject": {"reference": "Patient/p1"},"# : "")
             "effectiveDateTime": "2024-01-01T10:00:00+01:00",
             "component": [\(parts.joined(separator: ","))]}
            """)
    }

    static func systolic(count: Int) -> [String] {
        let systolic = #"{"code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]}, "#
            + #""valueQuantity": {"value": 120, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}}"#
        let diastolic = #"{"code": {"coding": [{"system": "http://loinc.org", "code": "8462-4"}]}, "#
            + #""valueQuantity": {"value": 80, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}}"#
        return Array(repeating: systolic, count: count) + [diastolic]
    }

    @Test("the profiles the gateway emits are all loaded from Profiles/")
    func emittedProfilesAreSupported() throws {
        let validator = try Self.validator()
        for url in ProjectProfiles.emitted { #expect(validator.supports(profile: url), "\(url)") }
    }

    @Test("a conforming blood pressure gives no issues")
    func conformingResource() throws {
        #expect(try Self.validator().validate(Self.bloodPressure()) == [])
    }

    @Test("a missing required element is named with its location and min rule")
    func missingRequiredElement() throws {
        let issues = try Self.validator().validate(Self.bloodPressure(subject: false))
        #expect(issues.map(\.location) == ["Observation.subject"])
        #expect(issues.first?.rule == "min 1 on Observation.subject (zib-BloodPressure)")
    }

    @Test("a wrong fixed code is named at the element that holds it")
    func wrongFixedCode() throws {
        let issues = try Self.validator().validate(Self.bloodPressure(systolicUnit: "kPa"))
        #expect(issues.map(\.location) == ["Observation.component[0].valueQuantity.code"])
        #expect(issues.first?.rule == "fixed value mm[Hg] (zib-BloodPressure)")
    }

    @Test("a code outside a required binding is refused with the value set named")
    func codeOutsideRequiredBinding() throws {
        let issues = try Self.validator().validate(Self.bloodPressure(status: "done"))
        #expect(issues.map(\.location) == ["Observation.status"])
        #expect(issues.first?.rule == "required binding http://hl7.org/fhir/ValueSet/observation-status (zib-BloodPressure)")
    }

    @Test("a missing slice is refused: no systolic component")
    func missingSlice() throws {
        let issues = try Self.validator().validate(Self.bloodPressure(components: Array(Self.systolic(count: 0))))
        let rules = issues.map(\.rule)
        #expect(rules.contains("min 1 on Observation.component:SystolicBP (zib-BloodPressure)"))
        #expect(rules.contains("min 2 on Observation.component (zib-BloodPressure)"))
        #expect(issues.allSatisfy { $0.location == "Observation.component" && $0.severity == .error })
    }

    @Test("too many occurrences of a slice are refused")
    func tooManyInSlice() throws {
        let issues = try Self.validator().validate(Self.bloodPressure(components: Self.systolic(count: 2)))
        #expect(issues.map(\.rule) == ["max 1 on Observation.component:SystolicBP (zib-BloodPressure)"])
        #expect(issues.first?.message == "allows at most 1, found 2")
    }

    @Test("the wrong code in a fixed coding slice is refused")
    func wrongPanelCode() throws {
        var resource = try Self.bloodPressure()
        resource["code"] = ["coding": [["system": "http://loinc.org", "code": "55284-4"]]]
        let issues = try Self.validator().validate(resource)
        #expect(issues.map(\.rule) == ["min 1 on Observation.code.coding:bloodPressureCode (zib-BloodPressure)"])
        #expect(issues.first?.location == "Observation.code.coding")
    }

    @Test("a patient with a gender code outside the core value set is refused")
    func patientRules() throws {
        let patient = try ValidationFixtures.resource("""
            {"resourceType": "Patient", "meta": {"profile": ["http://fhir.nl/fhir/StructureDefinition/nl-core-patient"]},
             "gender": "M"}
            """)
        let issues = try Self.validator().validate(patient)
        #expect(issues.map(\.location) == ["Patient.gender"])
        #expect(issues.first?.rule.hasPrefix("required binding http://hl7.org/fhir/ValueSet/administrative-gender") == true)
    }

    @Test("a resource claiming no profile gets the base checks only; an unknown profile is a not-supported error")
    func unclaimedAndUnknownProfiles() throws {
        let validator = try Self.validator()
        let plain = try ValidationFixtures.resource(#"{"resourceType": "Observation", "status": "nonsense"}"#)
        #expect(validator.validate(plain) == [])
        let unknown = try ValidationFixtures.resource("""
            {"resourceType": "Observation", "meta": {"profile": ["http://example.org/StructureDefinition/x"]}}
            """)
        let issues = validator.validate(unknown)
        #expect(issues.map(\.severity) == [.error])
        #expect(issues.first?.location == "Observation.meta.profile[0]")
        #expect(issues.first?.code == .notSupported)
        #expect(issues.first?.message.hasPrefix("unknown profile http://example.org/StructureDefinition/x") == true)
    }

    @Test("blood glucose, Questionnaire and QuestionnaireResponse, which the mapping claims, are defined in Profiles/",
          arguments: ["http://nictiz.nl/fhir/StructureDefinition/vitalsign-bloodglucose",
                      "http://hl7.org/fhir/StructureDefinition/Questionnaire",
                      "http://hl7.org/fhir/StructureDefinition/QuestionnaireResponse"])
    func profilesBeyondTheZibs(_ url: String) throws {
        #expect(try Self.validator().supports(profile: url))
    }

    @Test("a Questionnaire item without linkId or with an unknown item type is refused by the core definition")
    func questionnaireCoreRules() throws {
        let questionnaire = try ValidationFixtures.resource("""
            {"resourceType": "Questionnaire", "meta": {"profile": ["http://hl7.org/fhir/StructureDefinition/Questionnaire"]},
             "status": "active", "item": [{"linkId": "1", "text": "Hoe gaat het?", "type": "string"}, {"text": "Pijn?", "type": "slider"}]}
            """)
        let issues = try Self.validator().validate(questionnaire)
        #expect(issues.map(\.location) == ["Questionnaire.item[1].linkId", "Questionnaire.item[1].type"])
    }

    @Test("a profile claimed by the wrong resource type is refused")
    func wrongResourceType() throws {
        let patient = try ValidationFixtures.resource("""
            {"resourceType": "Patient", "meta": {"profile": ["\(Self.bloodPressureURL)"]}}
            """)
        #expect(try Self.validator().validate(patient).map(\.rule) == ["type Observation (zib-BloodPressure)"])
    }

    @Test("a definition survives its JSON form unchanged")
    func jsonRoundTrip() throws {
        for definition in try Self.validator().definitions {
            let reread = try ProfileDefinition(json: FHIRJSON.parse(FHIRJSON.serialize(definition.jsonValue)))
            #expect(reread == definition)
        }
    }
}
