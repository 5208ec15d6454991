import FHIR

/// What the FHIR STU3 core definitions require of the resource types the gateway emits: the
/// elements with minimum cardinality 1 and the required bindings of status-like codes.
///
/// The Nictiz differentials only state what they add to the core, and the core StructureDefinitions
/// are not among the project's inputs, so this small table stands in for them. It covers the
/// resources' own elements only (not data types such as `Coding`), from FHIR 3.0.2.
///
/// ```swift
/// CoreBaseline.rules(for: "Observation").map(\.path)  // ["Observation.status", "Observation.code", …]
/// ```
enum CoreBaseline {
    /// The FHIR core definition of a resource type, for the core profile URLs the gateway claims
    /// itself (`http://hl7.org/fhir/StructureDefinition/Questionnaire`): its required elements and
    /// bindings from this table; everything else about the base definition is checked for every
    /// resource anyway (``BaseDefinitionCheck``). Nil for URLs that are no core resource definition.
    ///
    /// ```swift
    /// CoreBaseline.definition(url: "http://hl7.org/fhir/StructureDefinition/Questionnaire")?.type  // "Questionnaire"
    /// ```
    static func definition(url: String) -> ProfileDefinition? {
        guard let type = StructureDefinitionCompiler.coreResourceType(url), FHIRSchema.stu3.isResourceType(type) else {
            return nil
        }
        return ProfileDefinition(
            url: url, name: type, type: type, baseDefinition: "http://hl7.org/fhir/StructureDefinition/DomainResource",
            rules: rules(for: type))
    }

    static func rules(for type: String) -> [ProfileRule] {
        let required = (requiredElements[type] ?? []).map { ProfileRule(path: "\(type).\($0)", min: 1) }
        let bound = (bindings[type] ?? []).map { element, valueSet, codes in
            ProfileRule(path: "\(type).\(element)", binding: binding(valueSet, codes))
        }
        return required + bound
    }

    private static let requiredElements: [String: [String]] = [
        "AllergyIntolerance": ["verificationStatus", "patient"],
        "Binary": ["contentType", "content"],
        "Condition": ["subject"],
        "Consent": ["status", "patient"],
        "DeviceUseStatement": ["subject", "device"],
        "DocumentReference": ["status", "type", "indexed", "content", "content.attachment"],
        "Encounter": ["status"],
        "Flag": ["status", "code", "subject"],
        "Immunization": ["status", "notGiven", "vaccineCode", "patient", "primarySource"],
        "MedicationStatement": ["status", "medication[x]", "subject", "taken"],
        "NutritionOrder": ["status", "patient", "dateTime"],
        "Observation": ["status", "code", "component.code"],
        "Procedure": ["status", "subject"],
        "Questionnaire": ["status", "item.linkId", "item.type"],
        "QuestionnaireResponse": ["status", "item.linkId"],
        "RelatedPerson": ["patient"],
        "Specimen": ["subject"],
    ]

    private static let bindings: [String: [(String, String, [String])]] = [
        "AllergyIntolerance": [
            ("clinicalStatus", "allergy-clinical-status", ["active", "inactive", "resolved"]),
            ("verificationStatus", "allergy-verification-status", ["unconfirmed", "confirmed", "refuted", "entered-in-error"]),
            ("type", "allergy-intolerance-type", ["allergy", "intolerance"]),
            ("category", "allergy-intolerance-category", ["food", "medication", "environment", "biologic"]),
            ("criticality", "allergy-intolerance-criticality", ["low", "high", "unable-to-assess"]),
        ],
        "Condition": [
            ("clinicalStatus", "condition-clinical", ["active", "recurrence", "inactive", "remission", "resolved"]),
            ("verificationStatus", "condition-ver-status",
             ["provisional", "differential", "confirmed", "refuted", "entered-in-error", "unknown"]),
        ],
        "Consent": [("status", "consent-state-codes", ["draft", "proposed", "active", "rejected", "inactive", "entered-in-error"])],
        "DocumentReference": [("status", "document-reference-status", ["current", "superseded", "entered-in-error"])],
        "Encounter": [("status", "encounter-status", ["planned", "arrived", "triaged", "in-progress", "onleave", "finished",
                                                      "cancelled", "entered-in-error", "unknown"])],
        "Flag": [("status", "flag-status", ["active", "inactive", "entered-in-error"])],
        "MedicationStatement": [
            ("status", "medication-statement-status",
             ["active", "completed", "entered-in-error", "intended", "stopped", "on-hold"]),
            ("taken", "medication-statement-taken", ["y", "n", "unk", "na"]),
        ],
        "Observation": [("status", "observation-status", ["registered", "preliminary", "final", "amended", "corrected",
                                                          "cancelled", "entered-in-error", "unknown"])],
        "Patient": [("gender", "administrative-gender", ["male", "female", "other", "unknown"])],
        "Procedure": [("status", "event-status", ["preparation", "in-progress", "suspended", "aborted", "completed",
                                                  "entered-in-error", "unknown"])],
        "Questionnaire": [
            ("status", "publication-status", ["draft", "active", "retired", "unknown"]),
            ("item.type", "item-type", ["group", "display", "question", "boolean", "decimal", "integer", "date", "dateTime",
                                        "time", "string", "text", "url", "choice", "open-choice", "attachment", "reference",
                                        "quantity"]),
        ],
        "QuestionnaireResponse": [("status", "questionnaire-answers-status",
                                   ["in-progress", "completed", "amended", "entered-in-error", "stopped"])],
    ]

    /// A core binding; the code system URL of these STU3 value sets is `http://hl7.org/fhir/<name>`.
    private static func binding(_ name: String, _ codes: [String]) -> RequiredBinding {
        let system = "http://hl7.org/fhir/\(name)"
        return RequiredBinding(
            valueSet: "http://hl7.org/fhir/ValueSet/\(name)",
            codes: codes.map { CodeReference(system: system, code: $0) })
    }
}
