import FHIR

/// A part of the record a patient recognises, built from the BgZ (Basisgegevensset Zorg, 2017) sections.
///
/// The 28 zibs the BgZ queries fall into these groups (zib → STU3 resource):
/// - `patientAndContacts`: Patient, Contactpersoon (Patient, RelatedPerson)
/// - `payer`: Betaler (Coverage)
/// - `directives`: Wilsverklaring, BehandelAanwijzing (Consent with a zib directive category)
/// - `functionalStatus`: FunctioneleOfMentaleStatus (Observation)
/// - `problems`: Probleem (Condition)
/// - `socialHistory`: Woonsituatie, DrugsGebruik, AlcoholGebruik, TabakGebruik (Observation)
/// - `nutrition`: Voedingsadvies (NutritionOrder)
/// - `alerts`: Alert (Flag)
/// - `allergies`: AllergieIntolerantie (AllergyIntolerance)
/// - `medication`: MedicatieGebruik, MedicatieAfspraak, Verstrekking, Product (MedicationStatement,
///   MedicationRequest, MedicationDispense, Medication)
/// - `medicalDevices`: MedischHulpmiddel (DeviceUseStatement, Device)
/// - `vaccinations`: Vaccinatie (Immunization)
/// - `vitalSigns`: Bloeddruk, Lichaamsgewicht, Lichaamslengte and the other zib vital signs (Observation)
/// - `labResults`: LaboratoriumUitslag (Observation, DiagnosticReport, Specimen)
/// - `procedures`: Verrichting (Procedure)
/// - `encounters`: Contact (Encounter, EpisodeOfCare)
/// - `plannedCare`: geplande zorg (ProcedureRequest, ImmunizationRecommendation, DeviceRequest, Appointment,
///   ReferralRequest)
/// - `documents`: documents and their content (DocumentReference, DocumentManifest, Composition, Binary)
/// - `selfMeasurements`: measurements the patient made (any Observation whose performer is a Patient)
/// - `supporting`: Zorgaanbieder, Zorgverlener (Organization, Practitioner, PractitionerRole, Location)
/// - `everything`: only used in provisions, never assigned to a resource; covers all of the above and
///   resources with no category.
///
/// **Supporting resources.** Practitioners, organisations and locations are not patient data in
/// themselves; they are who and where. The decision point permits them when they are reached from a
/// resource that was permitted in the same request (`AccessRequest.referencedBy`, e.g. `_include` or a
/// reference being resolved). Asked for on their own, they need a provision covering `.supporting` or
/// `.everything` like anything else.
public enum DataCategory: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    case patientAndContacts = "patient-and-contacts"
    case payer
    case directives
    case functionalStatus = "functional-status"
    case problems
    case socialHistory = "social-history"
    case nutrition
    case alerts
    case allergies
    case medication
    case medicalDevices = "medical-devices"
    case vaccinations
    case vitalSigns = "vital-signs"
    case labResults = "lab-results"
    case procedures
    case encounters
    case plannedCare = "planned-care"
    case documents
    case selfMeasurements = "self-measurements"
    case supporting
    case everything

    public static func < (lhs: DataCategory, rhs: DataCategory) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The Dutch name shown to the patient and used as `display` in rendered consents.
    public var display: String {
        switch self {
        case .patientAndContacts: "Persoonsgegevens en contactpersonen"
        case .payer: "Betaler"
        case .directives: "Wilsverklaringen en behandelaanwijzingen"
        case .functionalStatus: "Functionele of mentale status"
        case .problems: "Problemen"
        case .socialHistory: "Leefstijl en sociale situatie"
        case .nutrition: "Voedingsadvies"
        case .alerts: "Alerts"
        case .allergies: "Allergieën"
        case .medication: "Medicatie"
        case .medicalDevices: "Medische hulpmiddelen"
        case .vaccinations: "Vaccinaties"
        case .vitalSigns: "Vitale functies"
        case .labResults: "Laboratoriumuitslagen"
        case .procedures: "Verrichtingen"
        case .encounters: "Contacten"
        case .plannedCare: "Geplande zorg"
        case .documents: "Documenten"
        case .selfMeasurements: "Zelfmetingen"
        case .supporting: "Zorgverleners en zorgaanbieders"
        case .everything: "Alle gegevens"
        }
    }

    /// The categories a resource belongs to, from its type and, for Observations and Consents, its
    /// profile, category and code. Unknown resources get no category, so only an `.everything`
    /// provision can ever permit them (deny by default). The gateway's own access consents get none
    /// either: they are served to the patient's own token, not through the decision point.
    ///
    /// ```swift
    /// DataCategory.of(resource: bloodPressure)      // [.vitalSigns]
    /// DataCategory.of(resource: homeBloodPressure)  // [.vitalSigns, .selfMeasurements]
    /// DataCategory.of(resource: condition)          // [.problems]
    /// ```
    public static func of(resource: FHIRResource) -> Set<DataCategory> {
        switch resource.resourceType {
        case "Observation": observationCategories(resource)
        case "Consent": isDirective(resource) ? [.directives] : []
        default: byResourceType[resource.resourceType].map { [$0] } ?? []
        }
    }

    static let byResourceType: [String: DataCategory] = [
        "Patient": .patientAndContacts, "RelatedPerson": .patientAndContacts,
        "Coverage": .payer,
        "Condition": .problems,
        "NutritionOrder": .nutrition,
        "Flag": .alerts,
        "AllergyIntolerance": .allergies,
        "MedicationStatement": .medication, "MedicationRequest": .medication, "MedicationDispense": .medication,
        "MedicationAdministration": .medication, "Medication": .medication,
        "DeviceUseStatement": .medicalDevices, "Device": .medicalDevices,
        "Immunization": .vaccinations,
        "DiagnosticReport": .labResults, "Specimen": .labResults,
        "Procedure": .procedures,
        "Encounter": .encounters, "EpisodeOfCare": .encounters,
        "ProcedureRequest": .plannedCare, "ImmunizationRecommendation": .plannedCare, "DeviceRequest": .plannedCare,
        "Appointment": .plannedCare, "ReferralRequest": .plannedCare,
        "DocumentReference": .documents, "DocumentManifest": .documents, "Composition": .documents,
        "Binary": .documents,
        "Practitioner": .supporting, "PractitionerRole": .supporting, "Organization": .supporting,
        "Location": .supporting,
    ]

    private static let nictiz = "http://nictiz.nl/fhir/StructureDefinition/"

    /// Observation profiles of zib2017, which settle the category on their own.
    private static let observationProfiles: [String: DataCategory] = [
        nictiz + "zib-FunctionalOrMentalStatus": .functionalStatus,
        nictiz + "zib-LivingSituation": .socialHistory, nictiz + "zib-DrugUse": .socialHistory,
        nictiz + "zib-AlcoholUse": .socialHistory, nictiz + "zib-TobaccoUse": .socialHistory,
        nictiz + "zib-BloodPressure": .vitalSigns, nictiz + "zib-BodyWeight": .vitalSigns,
        nictiz + "zib-BodyHeight": .vitalSigns, nictiz + "zib-HeartRate": .vitalSigns,
        nictiz + "zib-BodyTemperature": .vitalSigns, nictiz + "zib-OxygenSaturation": .vitalSigns,
        nictiz + "zib-LaboratoryTestResult-Observation": .labResults, nictiz + "vitalsign-bloodglucose": .labResults,
    ]

    /// Observation category codings (system|code) for Observations without a known profile.
    private static let observationCategoryCodes: [String: DataCategory] = [
        "http://hl7.org/fhir/observation-category|vital-signs": .vitalSigns,
        "http://hl7.org/fhir/observation-category|laboratory": .labResults,
        "http://hl7.org/fhir/observation-category|social-history": .socialHistory,
        "http://snomed.info/sct|49581000146104": .labResults,
    ]

    /// LOINC codes of the BgZ vital signs, for Observations that carry neither profile nor category.
    private static let vitalSignLOINC: Set<String> = [
        "85354-9", "8480-6", "8462-4", "29463-7", "8302-2", "8308-9", "8306-3", "8867-4", "8310-5", "59408-5",
    ]

    private static func observationCategories(_ resource: FHIRResource) -> Set<DataCategory> {
        var result = Set(resource.profiles.compactMap { observationProfiles[$0] })
        if result.isEmpty {
            let categoryCodings = codings(resource["category"])
            result.formUnion(categoryCodings.compactMap { observationCategoryCodes[$0] })
        }
        if result.isEmpty, codings(resource["code"]).contains(where: { vitalSignLOINC.contains(loincCode($0)) }) {
            result.insert(.vitalSigns)
        }
        // MedMij tells home measurements from clinic ones by the performer: the patient themself.
        let performers = resource["performer"]?.elements ?? []
        if performers.contains(where: { $0["reference"]?.stringValue?.hasPrefix("Patient/") == true }) {
            result.insert(.selfMeasurements)
        }
        return result
    }

    /// zib AdvanceDirective and TreatmentDirective Consents, by profile or by their SNOMED category.
    private static func isDirective(_ resource: FHIRResource) -> Bool {
        let profiles = [nictiz + "zib-AdvanceDirective", nictiz + "zib-TreatmentDirective"]
        if resource.profiles.contains(where: profiles.contains) { return true }
        let directiveCodes = ["http://snomed.info/sct|11341000146107", "http://snomed.info/sct|11291000146105"]
        return codings(resource["category"]).contains(where: directiveCodes.contains)
    }

    /// Every coding of a CodeableConcept or an array of them, as `system|code`.
    private static func codings(_ value: FHIRValue?) -> [String] {
        (value?.elements ?? []).flatMap { concept in
            (concept["coding"]?.elements ?? []).compactMap { coding -> String? in
                guard let code = coding["code"]?.stringValue else { return nil }
                return (coding["system"]?.stringValue ?? "") + "|" + code
            }
        }
    }

    private static func loincCode(_ systemAndCode: String) -> String {
        let prefix = "http://loinc.org|"
        return systemAndCode.hasPrefix(prefix) ? String(systemAndCode.dropFirst(prefix.count)) : ""
    }
}
