/// What happened, in the event types NEN 7513 asks to log and IHE BALP names: reads, searches and
/// writes of patient data, exchange with other systems, consent changes, logins, tokens, certificate
/// refusals, registry changes, and the auditors' own queries.
///
/// Stored as its raw value (`fhir.read`, `oauth.misuse`, …), which auditors filter on (`type`/`subtype`
/// in the auditor API); the FHIR rendering maps each to a BALP `type`, `subtype` and `action`.
public enum AuditEventKind: String, Sendable, Hashable, CaseIterable, Codable {
    // Patient data through the FHIR API.
    case read = "fhir.read"
    case vread = "fhir.vread"
    case history = "fhir.history"
    case search = "fhir.search"
    case create = "fhir.create"
    case validate = "fhir.validate"
    case capabilities = "fhir.capabilities"
    // Exchange with care providers' systems (NEN 7513: transfer to or from another system).
    case push = "exchange.push"
    case collect = "exchange.collect"
    case share = "exchange.share"
    // The patient's consents.
    case consentGrant = "consent.grant"
    case consentChange = "consent.change"
    case consentRevoke = "consent.revoke"
    // People and apps authenticating.
    case login = "login"
    case loginFailed = "login.failed"
    case logout = "logout"
    case authorize = "oauth.authorize"
    case tokenIssue = "oauth.token"
    case tokenRefresh = "oauth.refresh"
    case tokenRevoke = "oauth.revoke"
    /// A spent code or refresh token presented again: theft is assumed and the grant revoked.
    case tokenMisuse = "oauth.misuse"
    // The gateway's own security and administration.
    case certificateRefused = "security.certificate-refused"
    /// Data a provider sent when collected, refused as an incident: a resource of another patient than
    /// the one authorized, or of a type the query does not ask for. Nothing of it is stored.
    case collectRefused = "security.collect-refused"
    /// A connection closed below HTTP: a request the parser rejected, or a body not received in time.
    case connectionRefused = "security.connection-refused"
    /// Requests answered 503 because a listener was at capacity: one event per burst, with the count.
    case overload = "service.overload"
    case registryChange = "registry.change"
    case auditQuery = "audit.query"
    /// A page of the portal or the login shown, touching no patient data beyond the visitor's own.
    case pageView = "page.view"
    /// A PZC member reading a patient's record in the members' view.
    case recordView = "care.record-view"
    case other = "other"

    /// The group an auditor filters on first (`type`): the part before the dot.
    public var type: String {
        String(rawValue.split(separator: ".", maxSplits: 1).first ?? Substring(rawValue))
    }
}
