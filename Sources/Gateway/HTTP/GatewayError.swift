import FHIR
import HTTPTypes

/// An error answered to the client as an OperationOutcome, in the format the client negotiated.
///
/// Thrown by handlers and middleware; ``AuditMiddleware`` turns it into the response (so it can log
/// the status) instead of letting Hummingbird render it.
public struct GatewayError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var issue: OperationOutcome.IssueType
    public var diagnostics: String
    /// Extra response headers, such as `WWW-Authenticate` on 401.
    public var headers: HTTPFields
    /// What the audit log records instead of `diagnostics`, when those may quote the request body
    /// (which can hold clinical content that has no place in the log).
    public var auditDetail: String?

    public init(
        _ status: HTTPResponse.Status, _ issue: OperationOutcome.IssueType, _ diagnostics: String, headers: HTTPFields = [:],
        auditDetail: String? = nil
    ) {
        self.status = status
        self.issue = issue
        self.diagnostics = diagnostics
        self.headers = headers
        self.auditDetail = auditDetail
    }

    public var outcome: OperationOutcome {
        OperationOutcome(severity: status.code >= 500 ? .fatal : .error, code: issue, diagnostics: diagnostics)
    }

    /// 404 for anything the caller may not know exists: unknown ids and other patients' data look alike.
    public static func notFound(_ type: String, _ id: String) -> GatewayError {
        GatewayError(.notFound, .notFound, "\(type)/\(id) is not known")
    }

    public static func unknownResourceType(_ type: String) -> GatewayError {
        GatewayError(.notFound, .notSupported, "'\(type)' is not a resource type this server supports (FHIR STU3)")
    }

    public static func forbidden(_ diagnostics: String) -> GatewayError {
        GatewayError(.forbidden, .forbidden, diagnostics)
    }

    public static func unauthorized(_ diagnostics: String) -> GatewayError {
        GatewayError(
            .unauthorized, .login, diagnostics,
            headers: [.wwwAuthenticate: "Bearer realm=\"zorgnet\", error=\"invalid_token\""])
    }

    public static func invalid(_ diagnostics: String) -> GatewayError {
        GatewayError(.badRequest, .invalid, diagnostics)
    }

    public static let internalError = GatewayError(
        .internalServerError, .exception, "the server could not complete the request; nothing was changed")
}
