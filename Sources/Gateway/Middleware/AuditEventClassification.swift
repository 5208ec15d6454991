import Audit

/// The kind of event a request is, when its handler did not say (``AuditNotes/Notes/kind``): read
/// from the method, the path and the outcome, the way the routes are laid out.
///
/// ```swift
/// AuditEventClassification.kind(method: "GET", path: "/fhir/Condition/c1", status: 200)   // .read
/// AuditEventClassification.kind(method: "POST", path: "/login/digid-standin", status: 400) // .loginFailed
/// ```
enum AuditEventClassification {
    static func kind(method: String, path: String, status: Int) -> AuditEventKind {
        let segments = path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/").map(String.init) } ?? []
        guard let first = segments.first else { return method == "GET" ? .pageView : .other }
        switch first {
        case "fhir": return fhir(method: method, segments: Array(segments.dropFirst()))
        case "oauth":
            switch segments.dropFirst().first {
            case "token": return .tokenIssue
            case "revoke": return .tokenRevoke
            default: return .authorize
            }
        case "login": return method == "POST" ? (status < 400 ? .login : .loginFailed) : .pageView
        case "logout": return .logout
        case "portal": return method == "POST" ? .consentChange : .pageView
        case "care": return segments.count >= 3 ? .recordView : .pageView
        case "audit": return .auditQuery
        default: return method == "GET" ? .pageView : .other
        }
    }

    private static func fhir(method: String, segments: [String]) -> AuditEventKind {
        switch (method, segments.count) {
        case ("POST", 0): return .push
        case (_, 1) where segments[0] == "metadata": return .capabilities
        case ("GET", 1): return .search
        case ("POST", 1): return .create
        case (_, 2) where segments[1] == "$validate": return .validate
        case (_, 2) where segments[1] == "$lastn" || segments[1] == "_search": return .search
        case ("GET", 2): return .read
        case ("GET", 3) where segments[2] == "_history": return .history
        case ("GET", 4) where segments[2] == "_history": return .vread
        default: return .other
        }
    }
}
