import FHIR

/// Which patients a resource belongs to, after the FHIR STU3 Patient CompartmentDefinition
/// (compartmentdefinition-patient.html).
///
/// The definition names search parameters; this table holds the element paths behind them, so that
/// membership does not depend on which parameters the search registry happens to index. A resource
/// belongs to patient P when a local reference to `Patient/P` (see ``LocalReferences``) sits at one
/// of its type's paths. References to anything but a Patient (a Practitioner as `performer`) add
/// nothing, and contained resources are never looked into.
///
/// Two deliberate narrowings of the specification, because a token is bound to exactly one patient:
/// - a Patient belongs to itself only (not to the patients in `Patient.link`), and
/// - Group (`member`) and Person (`link`) belong to no patient, since each names several patients
///   and would show one patient the others.
///
/// ```swift
/// PatientCompartment.patients(of: observation, references: LocalReferences())  // ["p1"] for subject Patient/p1
/// ```
enum PatientCompartment {
    /// Element paths per resource type; an empty list means the type is in no patient's compartment.
    /// A type missing from the table is treated like an empty list (deny by default); the store tests
    /// check that every type the search registry knows has an entry.
    static let paths: [String: [String]] = [
        "Account": ["subject"],
        "AdverseEvent": ["subject"],
        "AllergyIntolerance": ["patient", "recorder", "asserter"],
        "Appointment": ["participant.actor"],
        "AppointmentResponse": ["actor"],
        "AuditEvent": ["agent.reference", "entity.reference"],
        "Basic": ["subject", "author"],
        "BodySite": ["patient"],
        "CarePlan": ["subject", "activity.detail.performer"],
        "CareTeam": ["subject", "participant.member"],
        "ChargeItem": ["subject"],
        "Claim": ["patient", "payee.party"],
        "ClaimResponse": ["patient"],
        "ClinicalImpression": ["subject"],
        "Communication": ["subject", "sender", "recipient"],
        "CommunicationRequest": ["subject", "sender", "recipient", "requester.agent"],
        "Composition": ["subject", "author", "attester.party"],
        "Condition": ["subject", "asserter"],
        "Consent": ["patient"],
        "Coverage": ["subscriber", "beneficiary", "payor", "policyHolder"],
        "DetectedIssue": ["patient"],
        "Device": ["patient"],
        "DeviceRequest": ["subject", "performer"],
        "DeviceUseStatement": ["subject"],
        "DiagnosticReport": ["subject"],
        "DocumentManifest": ["subject", "author", "recipient"],
        "DocumentReference": ["subject", "author"],
        "EligibilityRequest": ["patient"],
        "Encounter": ["subject"],
        "EnrollmentRequest": ["subject"],
        "EpisodeOfCare": ["patient"],
        "ExplanationOfBenefit": ["patient", "payee.party"],
        "FamilyMemberHistory": ["patient"],
        "Flag": ["subject"],
        "Goal": ["subject"],
        "ImagingManifest": ["patient", "author"],
        "ImagingStudy": ["patient"],
        "Immunization": ["patient"],
        "ImmunizationRecommendation": ["patient"],
        "List": ["subject", "source"],
        "MeasureReport": ["patient"],
        "Media": ["subject"],
        "MedicationAdministration": ["subject", "performer.actor"],
        "MedicationDispense": ["subject", "receiver"],
        "MedicationRequest": ["subject"],
        "MedicationStatement": ["subject"],
        "NutritionOrder": ["patient"],
        "Observation": ["subject", "performer"],
        "Procedure": ["subject", "performer.actor"],
        "ProcedureRequest": ["subject", "performer"],
        "Provenance": ["target"],
        "QuestionnaireResponse": ["subject", "author"],
        "ReferralRequest": ["subject", "requester.agent"],
        "RelatedPerson": ["patient"],
        "RequestGroup": ["subject", "action.participant"],
        "ResearchSubject": ["individual"],
        "RiskAssessment": ["subject"],
        "Schedule": ["actor"],
        "Specimen": ["subject"],
        "SupplyDelivery": ["patient"],
        "SupplyRequest": ["requester.agent"],
        "VisionPrescription": ["patient"],
        // In no patient's compartment. Patient itself is handled apart (it belongs to itself).
        "Patient": [], "Group": [], "Person": [],
        "Practitioner": [], "PractitionerRole": [], "Organization": [], "Location": [], "HealthcareService": [],
        "Endpoint": [], "Medication": [], "Substance": [], "Questionnaire": [], "Binary": [], "Bundle": [],
        "Slot": [], "OperationOutcome": [],
    ]

    static func patients(of resource: FHIRResource, references: LocalReferences) -> Set<String> {
        if resource.resourceType == "Patient" {
            return resource.id.map { [$0] } ?? []
        }
        var patients = Set<String>()
        for path in paths[resource.resourceType] ?? [] {
            for value in values(at: path.split(separator: "."), in: .object(resource.content)) {
                if let text = value["reference"]?.stringValue, let target = references.target(text), target.type == "Patient" {
                    patients.insert(target.id)
                }
            }
        }
        return patients
    }

    /// The values at a dotted element path, through arrays at any step.
    private static func values(at path: [Substring], in root: FHIRValue) -> [FHIRValue] {
        var current = [root]
        for name in path {
            current = current.flatMap { $0[String(name)]?.elements ?? [] }
        }
        return current
    }
}
