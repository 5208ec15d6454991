extension SearchParameterRegistry {
    /// The FHIR STU3 (3.0.2) search parameters the gateway supports, with the official names and
    /// paths, plus the `_include`s of the Nictiz BgZ 2017 server CapabilityStatement.
    ///
    /// Deliberate differences from the STU3 list:
    /// - composite and special parameters (`code-value-quantity`, `near`, ...) and parameters that
    ///   need FHIRPath functions (`deceased`, `phonetic`) are absent, so searching on them is refused;
    /// - `MedicationDispense.category` comes from the Nictiz SearchParameter `Medications-category`,
    ///   which BgZ query 16 uses; `Coverage.status` (not an STU3 parameter) is added so clients can
    ///   leave out cancelled coverages;
    /// - Binary has only `_id` and `_lastUpdated`.
    ///
    /// ```swift
    /// SearchParameterRegistry.stu3.parameter("patient", on: "Observation")?.paths  // ["subject"]
    /// ```
    public static let stu3 = SearchParameterRegistry(
        parametersByType: stu3ParametersByType(),
        defaultParameters: stu3CommonParameters(),
        includes: stu3Includes()
    )

    /// Parameters every resource has (STU3 "Parameters for all resources").
    static func stu3CommonParameters() -> [SearchParameterDefinition] {
        var p = ParameterList()
        p.token("_id", "id")
        p.date("_lastUpdated", "meta.lastUpdated")
        p.uri("_profile", "meta.profile")
        p.token("_tag", "meta.tag")
        p.token("_security", "meta.security")
        return p.parameters
    }

    private static func stu3ParametersByType() -> [String: [SearchParameterDefinition]] {
        let common = stu3CommonParameters()
        let tables: [(String, ParameterList)] = [
            // Administrative (SearchParameterRegistry+Administrative.swift)
            ("Patient", patientParameters()),
            ("Practitioner", practitionerParameters()),
            ("PractitionerRole", practitionerRoleParameters()),
            ("Organization", organizationParameters()),
            ("Location", locationParameters()),
            ("RelatedPerson", relatedPersonParameters()),
            ("Coverage", coverageParameters()),
            ("Consent", consentParameters()),
            ("AuditEvent", auditEventParameters()),
            ("Provenance", provenanceParameters()),
            // Clinical (SearchParameterRegistry+Clinical.swift)
            ("Observation", observationParameters()),
            ("Condition", conditionParameters()),
            ("AllergyIntolerance", allergyIntoleranceParameters()),
            ("Flag", flagParameters()),
            ("NutritionOrder", nutritionOrderParameters()),
            ("Procedure", procedureParameters()),
            ("Encounter", encounterParameters()),
            ("Immunization", immunizationParameters()),
            ("Specimen", specimenParameters()),
            ("CareTeam", careTeamParameters()),
            // Medication and devices (SearchParameterRegistry+Medication.swift)
            ("Medication", medicationParameters()),
            ("MedicationStatement", medicationStatementParameters()),
            ("MedicationRequest", medicationRequestParameters()),
            ("MedicationDispense", medicationDispenseParameters()),
            ("Device", deviceParameters()),
            ("DeviceUseStatement", deviceUseStatementParameters()),
            ("DeviceRequest", deviceRequestParameters()),
            // Planned care and documents (SearchParameterRegistry+Workflow.swift)
            ("ProcedureRequest", procedureRequestParameters()),
            ("ImmunizationRecommendation", immunizationRecommendationParameters()),
            ("Appointment", appointmentParameters()),
            ("DocumentReference", documentReferenceParameters()),
            ("DocumentManifest", documentManifestParameters()),
            ("QuestionnaireResponse", questionnaireResponseParameters()),
        ]
        var result: [String: [SearchParameterDefinition]] = [:]
        for (type, list) in tables {
            result[type] = common + list.parameters
        }
        // Binary is raw content without a searchable body; its meta is all there is.
        result["Binary"] = common.filter { $0.name == "_id" || $0.name == "_lastUpdated" }
        return result
    }

    /// The `searchInclude`s of the BgZ 2017 server CapabilityStatement.
    private static func stu3Includes() -> [IncludeDefinition] {
        [
            IncludeDefinition(sourceType: "Patient", parameter: "general-practitioner"),
            IncludeDefinition(sourceType: "Coverage", parameter: "payor", targetType: "Patient"),
            IncludeDefinition(sourceType: "Coverage", parameter: "payor", targetType: "Organization"),
            IncludeDefinition(sourceType: "Observation", parameter: "related-target"),
            IncludeDefinition(sourceType: "Observation", parameter: "specimen"),
            IncludeDefinition(sourceType: "MedicationStatement", parameter: "medication"),
            IncludeDefinition(sourceType: "MedicationRequest", parameter: "medication"),
            IncludeDefinition(sourceType: "MedicationDispense", parameter: "medication"),
            IncludeDefinition(sourceType: "DeviceUseStatement", parameter: "device"),
            IncludeDefinition(sourceType: "DeviceRequest", parameter: "device"),
        ]
    }
}
