import FHIR
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store

/// Type-level search: `GET /fhir/{type}?…` and `POST /fhir/{type}/_search` with a form body.
///
/// Matches, `_include`d resources, `total` and paging all pass the patient's consent (``ConsentPolicy``)
/// inside the store's query loop (see ``ResourceRepository/search(_:scope:page:filter:)``): `total`
/// counts permitted matches only, every page is filled with permitted matches, and the `next` link
/// appears exactly when a permitted match follows, so a partial consent never truncates paging silently.
struct SearchRoutes: Sendable {
    let repository: ResourceRepository
    let policy: ConsentPolicy
    let defaultCount: Int

    /// Parameters the HTTP layer consumes itself; everything else goes to the search parser.
    static let transportParameters: Set<String> = ["_format", "_pretty", PagingParameters.cursor]

    /// The patient comes from the token only (MedMij): naming one in the URL is refused rather than ignored.
    static let patientSelectingParameters: Set<String> = ["patient", "subject", "beneficiary"]
    /// The BSN naming system, as URI and as OID: a BSN never appears in a URL, in either spelling.
    static let bsnSystems = ["http://fhir.nl/fhir/NamingSystem/bsn", "urn:oid:2.16.840.1.113883.2.4.6.3"]

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
        let output = try OutputParameters(request, parameters)
        let check = try await policy.check(request, context: context)
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
        let page = paging.cursor.map { SearchPage(count: count, after: $0) }
            ?? SearchPage(count: count, snapshotMilliseconds: Instant.milliseconds(Date()))
        let filtered: FilteredSearchResult
        do {
            filtered = try await repository.search(query, scope: check.scope, page: page, filter: check.filter)
        } catch let error as SearchCursorError {
            throw GatewayError.invalid("\(PagingParameters.cursor): \(error.description)")
        }
        let result = filtered.result
        check.audit(filtered, in: context)

        // Links carry the search, the output options and the paging position, so a client that follows
        // them gets the same kind of page it asked for.
        let base = BaseURL.of(request)
        let linkQuery = searchParameters + output.echo
        let selfLink = "\(base)/fhir/\(type)" + Self.queryText(linkQuery + paging.echo)
        let nextLink = result.next.map { "\(base)/fhir/\(type)" + Self.queryText(linkQuery + [(PagingParameters.cursor, $0.token)]) }
        context.audit.disclosed(result.matches.map(\.reference) + result.includes.map(\.reference))
        let writer = SearchBundleWriter(base: base, total: result.total, selfLink: selfLink, nextLink: nextLink)
        return try writer.response(matches: result.matches, includes: result.includes, format: output.format, pretty: output.pretty)
    }

    /// `Observation/$lastn`: the most recent `max` observations per code (default 1).
    private func lastN(_ request: Request, _ context: GatewayRequestContext, parameters: [(name: String, value: String)])
        async throws -> Response
    {
        let output = try OutputParameters(request, parameters)
        let check = try await policy.check(request, context: context)
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
        let filtered = try await repository.lastN(query, max: max, scope: check.scope, filter: check.filter)
        let result = filtered.result
        check.audit(filtered, in: context)
        let base = BaseURL.of(request)
        let selfLink = "\(base)/fhir/Observation/$lastn" + Self.queryText(parameters)
        context.audit.disclosed(result.matches.map(\.reference) + result.includes.map(\.reference))
        let writer = SearchBundleWriter(base: base, total: result.total, selfLink: selfLink, nextLink: nil)
        return try writer.response(matches: result.matches, includes: result.includes, format: output.format, pretty: output.pretty)
    }

    static func refusePatientSelection(_ parameters: [(name: String, value: String)]) throws {
        for (name, value) in parameters {
            let base = name.split(separator: ":", maxSplits: 1).first.map(String.init) ?? name
            if patientSelectingParameters.contains(base) || base.hasPrefix("patient.") || base.hasPrefix("subject.") {
                throw GatewayError(
                    .badRequest, .security,
                    "'\(name)' is not allowed: the patient is determined by the access token, never by the URL")
            }
            let lowered = value.lowercased()
            // The value itself is never echoed: it may be the BSN.
            if bsnSystems.contains(where: { lowered.contains($0.lowercased()) })
                || (isIdentifierLike(base) && value.split(whereSeparator: { $0 == "," || $0 == "|" }).contains(where: BSN.isValid))
            {
                throw GatewayError(.badRequest, .security, "a BSN must never appear in a URL; the patient is determined by the access token")
            }
        }
    }

    /// `identifier` and chained or composite forms of it (`patient.identifier`, `subject-identifier`).
    static func isIdentifierLike(_ name: String) -> Bool {
        name == "identifier" || name.hasSuffix(".identifier") || name.hasSuffix("-identifier")
    }

    static func queryText(_ pairs: [(name: String, value: String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        return "?" + pairs.map { "\(QueryString.encode($0.name))=\(QueryString.encode($0.value))" }.joined(separator: "&")
    }
}

/// The Dutch citizen service number's shape: nine digits passing the eleven-test
/// (9·d₁ + 8·d₂ + … + 2·d₈ − 1·d₉ divisible by 11, and not all zero).
enum BSN {
    static func isValid(_ text: Substring) -> Bool {
        let digits = text.utf8.map { Int($0) - Int(UInt8(ascii: "0")) }
        guard digits.count == 9, digits.allSatisfy({ (0...9).contains($0) }), digits.contains(where: { $0 != 0 }) else {
            return false
        }
        let sum = zip(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1]).reduce(0) { $0 + $1.0 * $1.1 }
        return sum % 11 == 0
    }
}

/// `_format` and `_pretty`, from the query or (for POST `_search`) the form body: honoured wherever
/// they are given, and echoed into the links of the result.
struct OutputParameters {
    var format: FHIRFormat
    var pretty: Bool
    var echo: [(name: String, value: String)]

    init(_ request: Request, _ parameters: [(name: String, value: String)]) throws {
        echo = parameters.filter { $0.name == "_format" || $0.name == "_pretty" }
        pretty = parameters.last { $0.name == "_pretty" }?.value == "true"
        if let named = parameters.last(where: { $0.name == "_format" })?.value {
            guard let chosen = ContentNegotiation.formatNamed(named) else {
                throw GatewayError(
                    .notAcceptable, .notSupported,
                    "_format '\(named)' is not supported; use json, xml, application/fhir+json or application/fhir+xml")
            }
            format = chosen
        } else {
            format = try ContentNegotiation.responseFormat(for: request)
        }
    }
}

/// The gateway's paging parameter: an opaque keyset cursor (see ``SearchCursor``) that carries the
/// last sort position served and the snapshot of the first page, so pages neither repeat nor skip.
struct PagingParameters {
    static let cursor = "_cursor"

    var cursor: SearchCursor?
    private var token: String?

    init(_ parameters: [(name: String, value: String)]) throws {
        for (name, value) in parameters where name == Self.cursor {
            guard token == nil else { throw GatewayError.invalid("\(Self.cursor) may be given once") }
            do {
                cursor = try SearchCursor(token: value)
            } catch {
                throw GatewayError.invalid("\(Self.cursor): \(error.description)")
            }
            token = value
        }
    }

    /// The paging parameter of this page, for its self link.
    var echo: [(name: String, value: String)] {
        token.map { [(Self.cursor, $0)] } ?? []
    }
}
