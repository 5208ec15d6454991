import FHIR
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store

/// Type-level search: `GET /fhir/{type}?…` and `POST /fhir/{type}/_search` with a form body.
struct SearchRoutes: Sendable {
    let repository: ResourceRepository
    let access: PatientAccess
    let defaultCount: Int

    /// Parameters the HTTP layer consumes itself; everything else goes to the search parser.
    static let transportParameters: Set<String> = ["_format", "_pretty", PagingParameters.offset, PagingParameters.snapshot]

    /// The patient comes from the token only (MedMij): naming one in the URL is refused rather than ignored.
    static let patientSelectingParameters: Set<String> = ["patient", "subject", "beneficiary"]
    static let bsnSystem = "http://fhir.nl/fhir/NamingSystem/bsn"

    func register(on group: RouterGroup<GatewayRequestContext>) {
        // A constant path under the type parameter, so that `/fhir/Observation` itself still routes to search.
        group.get(":type/$lastn") { request, context in
            guard try FHIRPathParameters.type(context) == "Observation" else {
                throw GatewayError(.notFound, .notSupported, "$lastn is defined for Observation only")
            }
            return try await lastN(request, context, parameters: try Self.queryParameters(of: request))
        }
        group.get(":type") { request, context in
            let parameters = try Self.queryParameters(of: request)
            return try await search(request, context, parameters: parameters)
        }
        group.post(":type/_search") { request, context in
            var request = request
            let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
            guard mediaType == "application/x-www-form-urlencoded" else {
                throw GatewayError(
                    .unsupportedMediaType, .notSupported,
                    "POST _search takes an application/x-www-form-urlencoded body, not '\(mediaType ?? "none")'")
            }
            let body = try await request.collectBody(upTo: context.maxBodySize)
            let form: [(name: String, value: String)]
            do {
                form = try QueryString.parse(String(buffer: body), form: true)
            } catch {
                throw GatewayError.invalid("the form body has a malformed percent-encoding in '\(Self.malformedText(error))'")
            }
            return try await search(request, context, parameters: try Self.queryParameters(of: request) + form)
        }
    }

    static func queryParameters(of request: Request) throws -> [(name: String, value: String)] {
        do {
            return try QueryString.parse(request.uri.query ?? "", form: false)
        } catch {
            throw GatewayError.invalid("the query has a malformed percent-encoding in '\(malformedText(error))'")
        }
    }

    static func malformedText(_ error: any Error) -> String {
        (error as? QueryString.MalformedEncoding)?.text ?? "the query"
    }

    private func search(_ request: Request, _ context: GatewayRequestContext, parameters: [(name: String, value: String)])
        async throws -> Response
    {
        let type = try FHIRPathParameters.type(context)
        let format = try ContentNegotiation.responseFormat(for: request)
        let scope = try await access.scope(for: request, context: context)
        try Self.refusePatientSelection(parameters)
        let paging = try PagingParameters(parameters)
        let searchParameters = parameters.filter { !Self.transportParameters.contains($0.name) }
        let query: SearchQuery
        do {
            query = try SearchQuery.parse(resourceType: type, parameters: searchParameters)
        } catch {
            throw GatewayError(.badRequest, OperationOutcome.IssueType(rawValue: error.issueCode) ?? .invalid, error.description)
        }
        let count = query.count ?? defaultCount
        let snapshot = paging.snapshot ?? Instant.milliseconds(Date())
        let result = try await repository.search(
            query, scope: scope, page: SearchPage(offset: paging.offset, count: count, snapshotMilliseconds: snapshot))

        let base = BaseURL.of(request)
        let selfQuery = searchParameters.filter { $0.name != "_format" }
        let selfLink = "\(base)/fhir/\(type)" + Self.queryText(selfQuery + paging.echo)
        var nextLink: String?
        if paging.offset + result.matches.count < result.total {
            nextLink = "\(base)/fhir/\(type)" + Self.queryText(selfQuery + [
                (PagingParameters.offset, String(paging.offset + result.matches.count)),
                (PagingParameters.snapshot, String(snapshot)),
            ])
        }
        context.audit.disclosed(result.matches.map(\.reference) + result.includes.map(\.reference))
        let writer = SearchBundleWriter(base: base, total: result.total, selfLink: selfLink, nextLink: nextLink)
        return try writer.response(matches: result.matches, includes: result.includes, format: format, pretty: ContentNegotiation.isPretty(request))
    }

    /// `Observation/$lastn`: the most recent `max` observations per code (default 1).
    private func lastN(_ request: Request, _ context: GatewayRequestContext, parameters: [(name: String, value: String)])
        async throws -> Response
    {
        let format = try ContentNegotiation.responseFormat(for: request)
        let scope = try await access.scope(for: request, context: context)
        try Self.refusePatientSelection(parameters)
        var max = 1
        for (name, value) in parameters where name == "max" {
            guard let number = Int(value), (1...100).contains(number) else {
                throw GatewayError.invalid("max must be a whole number from 1 to 100, not '\(value)'")
            }
            max = number
        }
        let searchParameters = parameters.filter { !Self.transportParameters.contains($0.name) && $0.name != "max" }
        let query: SearchQuery
        do {
            query = try SearchQuery.parse(resourceType: "Observation", parameters: searchParameters)
        } catch {
            throw GatewayError(.badRequest, OperationOutcome.IssueType(rawValue: error.issueCode) ?? .invalid, error.description)
        }
        let result = try await repository.lastN(query, max: max, scope: scope)
        let base = BaseURL.of(request)
        let selfLink = "\(base)/fhir/Observation/$lastn" + Self.queryText(parameters.filter { $0.name != "_format" })
        context.audit.disclosed(result.matches.map(\.reference) + result.includes.map(\.reference))
        let writer = SearchBundleWriter(base: base, total: result.total, selfLink: selfLink, nextLink: nil)
        return try writer.response(matches: result.matches, includes: result.includes, format: format, pretty: ContentNegotiation.isPretty(request))
    }

    static func refusePatientSelection(_ parameters: [(name: String, value: String)]) throws {
        for (name, value) in parameters {
            let base = name.split(separator: ":", maxSplits: 1).first.map(String.init) ?? name
            if patientSelectingParameters.contains(base) || base.hasPrefix("patient.") || base.hasPrefix("subject.") {
                throw GatewayError(
                    .badRequest, .security,
                    "'\(name)' is not allowed: the patient is determined by the access token, never by the URL")
            }
            if value.contains(bsnSystem) {
                throw GatewayError(.badRequest, .security, "a BSN must never appear in a URL; the patient is determined by the access token")
            }
        }
    }

    static func queryText(_ pairs: [(name: String, value: String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        return "?" + pairs.map { "\(QueryString.encode($0.name))=\(QueryString.encode($0.value))" }.joined(separator: "&")
    }
}

/// The gateway's own paging parameters: an offset into a result that is frozen at the moment of the
/// first page (resources changed after `_snapshot` are left out), so pages neither repeat nor skip.
struct PagingParameters {
    static let offset = "_offset"
    static let snapshot = "_snapshot"

    var offset = 0
    var snapshot: Int64?

    init(_ parameters: [(name: String, value: String)]) throws {
        for (name, value) in parameters {
            switch name {
            case Self.offset:
                guard let number = Int(value), number >= 0, number <= 1_000_000 else {
                    throw GatewayError.invalid("\(Self.offset) must be a non-negative number, not '\(value)'")
                }
                offset = number
            case Self.snapshot:
                guard let number = Int64(value), number > 0 else {
                    throw GatewayError.invalid("\(Self.snapshot) must be a moment in milliseconds, not '\(value)'")
                }
                snapshot = number
            default:
                continue
            }
        }
    }

    /// The paging parameters of this page, for its self link.
    var echo: [(name: String, value: String)] {
        var pairs = [(name: String, value: String)]()
        if offset > 0 { pairs.append((Self.offset, String(offset))) }
        if let snapshot { pairs.append((Self.snapshot, String(snapshot))) }
        return pairs
    }
}
