/// One problem a profile validator found in a resource.
///
/// `location` is FHIRPath-style with array indices, so a client can find the element;
/// `rule` names the constraint and the profile it comes from, so a reader can find the rule.
///
/// ```swift
/// let issue = ValidationIssue(
///     severity: .error, location: "Observation.component[1].code",
///     rule: "min 1 (zib-BloodPressure)", message: "Observation.component.code is required")
/// issue.description  // "error at Observation.component[1].code: min 1 (zib-BloodPressure): …"
/// ```
public struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var severity: Severity
    /// Where the problem is, such as `Observation.component[1].valueQuantity.value`.
    public var location: String
    /// The rule broken, such as `min 1 (zib-BloodPressure)` or `fixed value http://loinc.org`.
    public var rule: String
    /// A sentence for people.
    public var message: String

    public init(severity: Severity, location: String, rule: String, message: String) {
        self.severity = severity
        self.location = location
        self.rule = rule
        self.message = message
    }

    public var description: String { "\(severity.rawValue) at \(location): \(rule): \(message)" }
}
