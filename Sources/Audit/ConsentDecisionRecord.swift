/// What the consent decision point decided for one request, as the audit log keeps it: enough for an
/// auditor to follow the decision and for the patient's access log to say "with your consent of 1 March"
/// (the consent versions name the exact text the patient agreed to).
///
/// ```swift
/// let decision = ConsentDecisionRecord(
///     outcome: .partial, consents: [ConsentVersion(id: "c1", version: 2)], permitted: 5, denied: 3)
/// ```
public struct ConsentDecisionRecord: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// Everything the request reached was disclosed.
        case permit
        /// Something was reached and nothing was disclosed.
        case deny
        /// Some was disclosed, some withheld.
        case partial
    }

    public var outcome: Outcome
    /// The consent versions whose provisions decided, in first-use order, without duplicates; empty
    /// when only the default deny applied.
    public var consents: [ConsentVersion]
    /// Resources disclosed by the response.
    public var permitted: Int
    /// Resources the request reached but withheld (see the gateway's consent policy for what counts).
    public var denied: Int

    public init(outcome: Outcome, consents: [ConsentVersion], permitted: Int, denied: Int) {
        self.outcome = outcome
        self.consents = consents
        self.permitted = permitted
        self.denied = denied
    }

    /// The outcome that the counts imply: nothing withheld is a permit, nothing disclosed a deny.
    public static func outcome(permitted: Int, denied: Int) -> Outcome {
        if denied == 0 { return .permit }
        return permitted == 0 ? .deny : .partial
    }
}

/// One version of one consent, as named in an audit event.
public struct ConsentVersion: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    public var version: Int

    public init(id: String, version: Int) {
        self.id = id
        self.version = version
    }

    /// `c1/_history/2`, as FHIR names a version.
    public var description: String { "\(id)/_history/\(version)" }
}
