import FHIR
import Store
import Zib

/// Checks every resource of a push before anything is stored: its type is one a provider may push,
/// it belongs to the pushed patient's record (or, for a shared type, to no record), and it passes the
/// STU3 base definition and every profile it claims (``ProfileValidator``). All problems of all
/// entries are reported together, each located in its entry.
///
/// ```swift
/// let problems = PushValidation(validator: validator, repository: repository).problems(in: resolved, bundle: bundle, patientID: "p1")
/// problems.isEmpty   // else: 422 with PushValidation.outcome(problems)
/// ```
struct PushValidation: Sendable {
    let validator: ProfileValidator
    let repository: ResourceRepository

    /// The types a care provider may push: the BgZ building blocks, what they refer to (who, where,
    /// which product, which specimen) and documents. Not Consent (the patient's consents are theirs
    /// to give, in the portal), not Provenance (the gateway writes its own), not Patient (matched, never
    /// stored), nothing administrative of the gateway's.
    static let acceptedTypes: Set<String> = [
        "AllergyIntolerance", "Appointment", "Composition", "Condition", "Coverage", "Device", "DeviceRequest", "DeviceUseStatement",
        "DiagnosticReport", "DocumentReference", "Encounter", "EpisodeOfCare", "Flag", "Immunization", "ImmunizationRecommendation",
        "Location", "Medication", "MedicationDispense", "MedicationRequest", "MedicationStatement", "NutritionOrder", "Observation",
        "Organization", "Practitioner", "PractitionerRole", "Procedure", "ProcedureRequest", "ReferralRequest", "Specimen",
    ]

    /// One problem, located in its entry.
    struct Problem: Sendable, Hashable {
        let index: Int
        let issue: ValidationIssue
    }

    func problems(in resolved: PushReferences, bundle: PushBundle, patientID: String) -> [Problem] {
        var problems: [Problem] = []
        for (entry, resource) in zip(bundle.entries, resolved.resources) {
            let type = resource.resourceType
            let isPatient = entry.index == bundle.patientIndex
            if !isPatient, !Self.acceptedTypes.contains(type) {
                problems.append(Problem(index: entry.index, issue: ValidationIssue(
                    severity: .error, location: type, rule: "type accepted for push",
                    message: "a provider cannot push a \(type); accepted: \(Self.acceptedTypes.sorted().joined(separator: ", "))",
                    code: .notSupported)))
                continue
            }
            if !isPatient, let problem = compartmentProblem(resource, patientID: patientID) {
                problems.append(Problem(index: entry.index, issue: problem))
            }
            problems += validator.validate(resource).filter { $0.severity == .error }.map { Problem(index: entry.index, issue: $0) }
        }
        return problems
    }

    /// A pushed resource must land in the patient's record and no other (a shared type such as
    /// Organization may land in none): a resource about nobody would be invisible to everyone, one
    /// about somebody else is not this push's to write.
    private func compartmentProblem(_ resource: FHIRResource, patientID: String) -> ValidationIssue? {
        let patients = repository.compartmentPatients(of: resource)
        let shared = PushStore.conditionalScope(for: resource.resourceType, patientID: patientID) == .everything
        if patients == [patientID] || (shared && patients.isEmpty) { return nil }
        return ValidationIssue(
            severity: .error, location: resource.resourceType, rule: "belongs to the pushed patient",
            message: "the resource must refer to the Bundle's Patient (subject, patient …) and to no other patient",
            code: .businessRule)
    }

    /// The 422 body: one OperationOutcome, one issue per problem, its FHIRPath `expression` and STU3
    /// XPath `location` placed under its entry.
    static func outcome(_ problems: [Problem]) -> FHIRResource {
        var outcome = OperationOutcome(problems.map { problem in
            OperationOutcome.Issue(
                severity: problem.issue.severity == .error ? .error : .warning, code: problem.issue.code,
                diagnostics: "\(problem.issue.rule): \(problem.issue.message)",
                expression: [PushLocation.inEntry(problem.index, problem.issue.location)])
        }).resource
        let located = zip(outcome["issue"]?.elements ?? [], problems).map { value, problem -> FHIRValue in
            var object = value.objectValue ?? FHIRObject()
            object["location"] = [.string(PushLocation.xpath(entry: problem.index, problem.issue.location))]
            return .object(object)
        }
        outcome["issue"] = .array(located)
        return outcome
    }

    /// What the audit log keeps of a refusal: counts and issue codes, never the texts (which may quote
    /// clinical values).
    static func auditSummary(_ problems: [Problem]) -> String {
        let codes = Set(problems.map(\.issue.code.rawValue)).sorted().joined(separator: ", ")
        let entries = Set(problems.map(\.index)).count
        return "\(problems.count) validation issue(s) (\(codes)) in \(entries) entr\(entries == 1 ? "y" : "ies")"
    }
}
