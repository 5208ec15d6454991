/// Builds an OperationOutcome resource (http://hl7.org/fhir/operationoutcome), the body of every
/// FHIR error response.
///
/// ```swift
/// let outcome = OperationOutcome(severity: .error, code: .notFound, diagnostics: "Patient/p1 does not exist")
/// FHIRJSON.serialize(outcome.resource)
/// // {"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found","diagnostics":"..."}]}
/// ```
public struct OperationOutcome: Sendable, Hashable {
    /// How bad an issue is.
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        case fatal, error, warning, information
    }

    /// The STU3 issue-type codes (http://hl7.org/fhir/issue-type).
    public enum IssueType: String, Sendable, Hashable, CaseIterable {
        case invalid, structure, required, value, invariant
        case security, login, unknown, expired, forbidden, suppressed
        case processing
        case notSupported = "not-supported"
        case duplicate
        case notFound = "not-found"
        case tooLong = "too-long"
        case codeInvalid = "code-invalid"
        case `extension`
        case tooCostly = "too-costly"
        case businessRule = "business-rule"
        case conflict, incomplete
        case transient
        case lockError = "lock-error"
        case noStore = "no-store"
        case exception, timeout, throttled
        case informational
    }

    /// One issue: what went wrong, how badly, and optionally where (FHIRPath expressions).
    ///
    /// ```swift
    /// OperationOutcome.Issue(code: .required, diagnostics: "name is required", expression: ["Patient.name"])
    /// ```
    public struct Issue: Sendable, Hashable {
        public var severity: Severity
        public var code: IssueType
        /// Free text for people; FHIR's `issue.diagnostics`.
        public var diagnostics: String
        /// FHIRPath expressions locating the problem, such as `Patient.name[0].family`.
        public var expression: [String]

        public init(severity: Severity = .error, code: IssueType, diagnostics: String, expression: [String] = []) {
            self.severity = severity
            self.code = code
            self.diagnostics = diagnostics
            self.expression = expression
        }
    }

    /// The issues in the order they are reported.
    public var issues: [Issue]

    /// An outcome with several issues.
    ///
    /// ```swift
    /// OperationOutcome([.init(code: .invalid, diagnostics: "bad date"), .init(severity: .warning, code: .informational, diagnostics: "note")])
    /// ```
    public init(_ issues: [Issue]) {
        self.issues = issues
    }

    /// An outcome with one issue.
    ///
    /// ```swift
    /// OperationOutcome(severity: .fatal, code: .exception, diagnostics: "storage unavailable")
    /// ```
    public init(severity: Severity, code: IssueType, diagnostics: String) {
        self.issues = [Issue(severity: severity, code: code, diagnostics: diagnostics)]
    }

    /// The resource, without id (an outcome describes one response and is never stored).
    ///
    /// ```swift
    /// FHIRFormat.xml.serialize(OperationOutcome(severity: .error, code: .invalid, diagnostics: "bad").resource)
    /// ```
    public var resource: FHIRResource {
        let issueValues: [FHIRValue] = issues.map { issue in
            var object: FHIRObject = [
                "severity": .string(issue.severity.rawValue),
                "code": .string(issue.code.rawValue),
                "diagnostics": .string(issue.diagnostics),
            ]
            if !issue.expression.isEmpty {
                object["expression"] = .array(issue.expression.map(FHIRValue.string))
            }
            return .object(object)
        }
        return FHIRResource(trusted: ["resourceType": "OperationOutcome", "issue": .array(issueValues)])
    }
}

extension FHIRResource {
    /// For builders whose content has a literal, well-formed resourceType.
    init(trusted content: FHIRObject) {
        do {
            self = try FHIRResource(content)
        } catch {
            preconditionFailure("builder produced a resource without resourceType: \(error)")
        }
    }
}
