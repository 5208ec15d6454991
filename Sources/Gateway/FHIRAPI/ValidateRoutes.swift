import FHIR
import Zib
import Hummingbird
import NIOCore

/// `POST /fhir/{type}/$validate`: reads a resource and reports what is wrong with it, changing nothing.
///
/// The body must be well-formed JSON or XML (no DTDs or entities) of a known resource type that
/// matches the path; then it is checked against every profile it claims in `meta.profile` that the
/// project defines (`Profiles/`). The answer is 200 with one OperationOutcome issue per problem, each
/// with its FHIRPath-style location and the rule broken; a clean resource gets one informational issue.
struct ValidateRoutes: Sendable {
    let validator: ProfileValidator

    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.post(":type/$validate") { request, context in
            let type = try FHIRPathParameters.type(context)
            let responseFormat = try ContentNegotiation.responseFormat(for: request)
            let resource = try await BodyReader.resource(from: request, context: context)
            guard resource.resourceType == type else {
                throw GatewayError.invalid("the body is a \(resource.resourceType), but the URL says \(type)")
            }
            let issues = validator.validate(resource)
            // The same rendering as a refused create, so both endpoints report a problem identically.
            let outcome = issues.isEmpty
                ? OperationOutcome(severity: .information, code: .informational, diagnostics: "no issues found in this \(type)").resource
                : ValidationOutcome.resource(issues)
            return FHIRResponses.resource(outcome, format: responseFormat, pretty: ContentNegotiation.isPretty(request))
        }
    }
}

/// Reads a FHIR resource from a request body, with the checks every body gets: a supported media
/// type (415), the size limit (413), and a well-formed, safe document (400 naming the position).
enum BodyReader {
    static func resource(from request: Request, context: GatewayRequestContext) async throws -> FHIRResource {
        let format = try ContentNegotiation.requestFormat(for: request)
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxBodySize)
        let bytes = Array(buffer.readableBytesView)
        do {
            return try format.parseResource(bytes)
        } catch {
            let issue = issueType(for: error)
            throw GatewayError(
                .badRequest, issue, error.description, auditDetail: "request body refused (\(issue.rawValue))")
        }
    }

    static func issueType(for error: FHIRParseError) -> OperationOutcome.IssueType {
        switch error.reason {
        case .unknownResourceType: .notSupported
        case .doctypeForbidden, .entityForbidden: .security
        default: .structure
        }
    }
}
