import FHIR

/// One problem a profile validator found in a resource.
///
/// `location` is FHIRPath-style with array indices, so a client can find the element;
/// `rule` names the constraint and the profile it comes from (or the invariant key, such as `obs-7`),
/// so a reader can find the rule; `code` is the OperationOutcome issue type the problem is reported
/// with, so every endpoint answers the same kind of problem with the same code.
///
/// ```swift
/// let issue = ValidationIssue(
///     severity: .error, location: "Observation.component[1].code",
///     rule: "min 1 (zib-BloodPressure)", message: "Observation.component.code is required", code: .required)
/// issue.description  // "error at Observation.component[1].code: min 1 (zib-BloodPressure): …"
/// ```
public struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var severity: Severity
    /// Where the problem is, such as `Observation.component[1].valueQuantity.value`.
    public var location: String
    /// The rule broken, such as `min 1 (zib-BloodPressure)`, `fixed value http://loinc.org` or `obs-7`.
    public var rule: String
    /// A sentence for people.
    public var message: String
    /// The FHIR issue type: `required` for cardinality, `code-invalid` for bindings, `structure` for
    /// unknown elements, `invariant`, `extension` for modifier extensions not understood,
    /// `not-supported` for unknown profiles.
    public var code: OperationOutcome.IssueType

    public init(
        severity: Severity, location: String, rule: String, message: String, code: OperationOutcome.IssueType = .invalid
    ) {
        self.severity = severity
        self.location = location
        self.rule = rule
        self.message = message
        self.code = code
    }

    public var description: String { "\(severity.rawValue) at \(location): \(rule): \(message)" }
}
