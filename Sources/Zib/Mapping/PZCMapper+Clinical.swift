extension PZCMapper {
    /// The clinical sections of an export: problems, allergies, medication use, vaccinations, alerts,
    /// advance directives and treatment directives.
    static let clinicalSections: [SectionMapping] = [
        ProblemAllergyMapping.problems,
        ProblemAllergyMapping.allergies,
        MedicationVaccinationMapping.medicationUse,
        MedicationVaccinationMapping.vaccinations,
        AlertDirectiveMapping.alerts,
        AlertDirectiveMapping.advanceDirectives,
        AlertDirectiveMapping.treatmentDirectives,
    ]
}
