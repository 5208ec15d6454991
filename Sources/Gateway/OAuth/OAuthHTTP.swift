import Auth
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// RFC 6749 responses of the back-channel OAuth endpoints: JSON, never cached.
enum OAuthResponses {
    // Optional only because HTTPField.Name validates at run time; the literal is a valid token.
    static let pragma = HTTPField.Name("Pragma")

    /// `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1): tokens must not be cached.
    static var noStoreHeaders: HTTPFields {
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if let pragma { headers[pragma] = "no-cache" }
        return headers
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = noStoreHeaders
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Array(try encoder.encode(value)))))
    }

    /// RFC 6749 §5.2: 400, or 401 for `invalid_client`.
    static func error(_ error: TokenRequestError) throws -> Response {
        struct Body: Encodable {
            let error: String
            let errorDescription: String

            enum CodingKeys: String, CodingKey {
                case error, errorDescription = "error_description"
            }
        }
        return try json(
            Body(error: error.code.rawValue, errorDescription: error.description),
            status: error.code == .invalidClient ? .unauthorized : .badRequest)
    }

    /// The form of a token or revocation request. Repeated parameters are refused (RFC 6749 §3.2).
    static func form(_ request: inout Request, context: GatewayRequestContext) async throws -> [String: String] {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        let body = try await request.collectBody(upTo: min(context.maxBodySize, OAuthQueryCredentialsMiddleware.maximumBodySize))
        if body.readableBytes == 0, mediaType == nil { return [:] }
        guard mediaType == "application/x-www-form-urlencoded" else { throw TokenRequestError.unsupportedMediaType(mediaType ?? "none") }
        return try GatewayRequestParsing.tokenForm(String(buffer: body))
    }

    /// The PGO app on the other end of the mutual TLS connection. `client_id`, when sent, must be its own.
    static func client(_ context: GatewayRequestContext, clientID: String?) throws -> AuthenticatedClient {
        guard let caller = context.caller, caller.party.kind == .app, let ownClientID = caller.party.clientID else {
            throw TokenRequestError.clientNotAnApp
        }
        if let clientID, clientID != ownClientID { throw TokenRequestError.clientIDMismatch }
        return AuthenticatedClient(partyID: caller.party.partyID, clientID: ownClientID, certificateFingerprint: caller.certificate.fingerprintSHA256)
    }
}

/// Accepts the token and revocation parameters from the query string too, as MedMij's own example
/// sends them, without letting a code or token reach the audit log: the query is moved into the form
/// body the routes read, and the URI the audit log records keeps only the parameter names of secrets.
///
/// Runs before ``AuditMiddleware``, so the audit event sees the redacted URI.
struct OAuthQueryCredentialsMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    static let paths: Set<String> = ["/oauth/token", "/oauth/revoke"]
    /// Parameters whose values are secrets.
    static let secretParameters: Set<String> = ["code", "refresh_token", "token", "access_token", "client_secret"]
    /// Token requests are a few hundred bytes; this bounds what is buffered.
    static let maximumBodySize = 64 * 1024

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, Self.paths.contains(request.uri.path), let query = request.uri.query, !query.isEmpty else {
            return try await next(request, context)
        }
        var request = request
        var head = request.head
        let queryPairs = try? QueryString.parse(query, form: false)
        head.path = request.uri.path + (queryPairs.map { "?" + Self.encode(Self.redacted($0)) } ?? "")
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: min(context.maxBodySize, Self.maximumBodySize))
        } catch {
            // Too large or broken: the route answers invalid_request, and the audit log has the redacted URI.
            return try await next(Request(head: head, body: .init(buffer: ByteBuffer())), context)
        }
        guard let queryPairs, body.readableBytes == 0 || mediaType == "application/x-www-form-urlencoded",
            let bodyPairs = try? QueryString.parse(String(buffer: body), form: true)
        else {
            return try await next(Request(head: head, body: .init(buffer: body)), context)
        }
        // The body wins where both carry a parameter.
        let merged = bodyPairs + queryPairs.filter { pair in !bodyPairs.contains { $0.name == pair.name } }
        let encoded = ByteBuffer(string: Self.encode(merged))
        head.headerFields[.contentType] = "application/x-www-form-urlencoded"
        head.headerFields[.contentLength] = "\(encoded.readableBytes)"
        return try await next(Request(head: head, body: .init(buffer: encoded)), context)
    }

    static func redacted(_ pairs: [(name: String, value: String)]) -> [(name: String, value: String)] {
        pairs.map { secretParameters.contains($0.name) ? ($0.name, "redacted") : $0 }
    }

    static func encode(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { QueryString.encode($0.name) + "=" + QueryString.encode($0.value) }.joined(separator: "&")
    }
}
