/// The profiles the gateway emits or accepts, which `Profiles/` defines (with the extension and
/// data type profiles they use). The project's `Profiles/*.json` are generated from the official
/// StructureDefinitions of exactly these, and from the FHIR core definitions of ``core``; see
/// Profiles/README.md. A resource claiming a profile outside `Profiles/` is refused.
///
/// ```swift
/// let definitions = try OfficialPackage(directory: nictiz).compile(closureOf: ProjectProfiles.emitted)
/// ```
public enum ProjectProfiles {
    public static let emitted: [String] = {
        let nlCore = ["patient", "practitioner", "practitionerrole", "organization", "relatedperson"]
            .map { "http://fhir.nl/fhir/StructureDefinition/nl-core-\($0)" }
        let zibs = [
            "zib-Payer", "zib-Problem", "zib-AllergyIntolerance", "zib-MedicationUse", "zib-Product",
            "zib-Vaccination", "zib-Alert", "zib-AdvanceDirective", "zib-TreatmentDirective", "zib-BloodPressure",
            "zib-BodyWeight", "zib-BodyHeight", "zib-HeartRate", "zib-BodyTemperature", "zib-OxygenSaturation",
            "zib-LivingSituation", "zib-TobaccoUse", "zib-AlcoholUse", "zib-DrugUse", "zib-FunctionalOrMentalStatus",
            "zib-LaboratoryTestResult-Observation", "zib-LaboratoryTestResult-Specimen", "zib-MedicalDevice",
            "zib-MedicalDeviceProduct", "zib-Encounter", "zib-Procedure", "zib-NutritionAdvice",
            "IHE.MHD.Minimal.DocumentReference",
            // Blood glucose: zib2017 has no zib for it, but the Nictiz package ships this vital-sign
            // profile (file vitalsigns-bloodglucose.xml, based on zib-LaboratoryTestResult-Observation),
            // which MedMij self-measurements use.
            "vitalsign-bloodglucose",
        ].map { "http://nictiz.nl/fhir/StructureDefinition/\($0)" }
        return nlCore + zibs + core
    }()

    /// FHIR core resource definitions claimed as such: forms and filled forms. zib2017 has no profile
    /// for them and Nictiz's questionnaire profiles are a separate package for another FHIR release,
    /// so the gateway claims the STU3 base definitions; their `Profiles/` files hold the core's
    /// required elements and bindings (``CoreBaseline``), the rest of the base definition is checked
    /// for every resource.
    public static let core: [String] = ["Questionnaire", "QuestionnaireResponse"]
        .map { "http://hl7.org/fhir/StructureDefinition/\($0)" }
}
