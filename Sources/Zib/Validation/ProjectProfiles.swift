/// The profiles the gateway emits or accepts, which `Profiles/` defines (with the extension and
/// data type profiles they use). The project's `Profiles/*.json` are generated from the official
/// StructureDefinitions of exactly these; see Profiles/README.md.
///
/// ```swift
/// let definitions = try OfficialPackage(directory: nictiz).compile(closureOf: ProjectProfiles.emitted)
/// ```
public enum ProjectProfiles {
    public static let emitted: [String] = {
        let core = ["patient", "practitioner", "practitionerrole", "organization", "relatedperson"]
            .map { "http://fhir.nl/fhir/StructureDefinition/nl-core-\($0)" }
        let zibs = [
            "zib-Payer", "zib-Problem", "zib-AllergyIntolerance", "zib-MedicationUse", "zib-Product",
            "zib-Vaccination", "zib-Alert", "zib-AdvanceDirective", "zib-TreatmentDirective", "zib-BloodPressure",
            "zib-BodyWeight", "zib-BodyHeight", "zib-HeartRate", "zib-BodyTemperature", "zib-OxygenSaturation",
            "zib-LivingSituation", "zib-TobaccoUse", "zib-AlcoholUse", "zib-DrugUse", "zib-FunctionalOrMentalStatus",
            "zib-LaboratoryTestResult-Observation", "zib-LaboratoryTestResult-Specimen", "zib-MedicalDevice",
            "zib-MedicalDeviceProduct", "zib-Encounter", "zib-Procedure", "zib-NutritionAdvice",
            "IHE.MHD.Minimal.DocumentReference",
        ].map { "http://nictiz.nl/fhir/StructureDefinition/\($0)" }
        return core + zibs
    }()
}
