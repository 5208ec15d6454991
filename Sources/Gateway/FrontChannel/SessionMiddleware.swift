import HTTPTypes
import Hummingbird
import NIOCore

/// An error a front-channel page answers with a page of its own (in the visitor's language, with the
/// trace id), never a stack trace.
struct FrontPageError: Error, Sendable {
    let status: HTTPResponse.Status
    let message: @Sendable (FrontText) -> String
    /// What the audit log records; no BSN, token or code.
    let auditDetail: String

    static func csrf(_ detail: String) -> FrontPageError {
        FrontPageError(status: .forbidden, message: { $0.csrfRejected }, auditDetail: "form refused: \(detail)")
    }
}

/// The form fields of an `application/x-www-form-urlencoded` body, first value per name.
struct FormFields: Sendable {
    let pairs: [(name: String, value: String)]

    subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    var dictionary: [String: String] {
        var result: [String: String] = [:]
        for pair in pairs where result[pair.name] == nil { result[pair.name] = pair.value }
        return result
    }

    /// Forms are small; this bounds what an anonymous POST can make the gateway buffer.
    static let maximumSize = 64 * 1024

    /// Reads the body (buffering it in the request, so later readers see it too). Anything but a
    /// form body yields no fields.
    static func read(_ request: inout Request, context: GatewayRequestContext) async throws -> FormFields {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        let body = try await request.collectBody(upTo: min(maximumSize, context.maxBodySize))
        guard mediaType == "application/x-www-form-urlencoded" else { return FormFields(pairs: []) }
        return FormFields(pairs: (try? QueryString.parse(String(buffer: body), form: true)) ?? [])
    }
}

/// Checks the CSRF token of every state-changing request on the front channel: a POST must come with
/// a live session cookie and that session's token in the `csrf` field, or it gets 403 and changes
/// nothing. Routes added after this middleware need not check again.
struct SessionCSRFMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let sessions: SessionManager

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method) else { return try await next(request, context) }
        var request = request
        let form = try await FormFields.read(&request, context: context)
        guard let session = try await sessions.current(request) else { throw FrontPageError.csrf("no live session") }
        guard SessionManager.isValidCSRF(form[SessionManager.csrfFieldName], for: session) else {
            throw FrontPageError.csrf(form[SessionManager.csrfFieldName] == nil ? "CSRF token missing" : "CSRF token wrong")
        }
        return try await next(request, context)
    }
}

/// Security headers on every front-channel response, and page errors rendered as pages.
///
/// - `Content-Security-Policy: default-src 'self'; frame-ancestors 'none'; base-uri 'none'` — no inline
///   script or style, no framing (clickjacking on the consent screen). No `form-action`: browsers apply
///   it to the redirect after the consent form, which must reach the PGO app's host.
/// - `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (the redirect carries a code),
///   `X-Frame-Options: DENY` for older browsers.
/// - `Cache-Control: no-store` unless a route chose otherwise (only the stylesheet does): pages carry
///   session state, CSRF tokens and personal data.
struct FrontPageMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    static let contentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'"
    // Optional only because HTTPField.Name validates at run time; the literals are valid tokens.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")
    static let frameOptions = HTTPField.Name("X-Frame-Options")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as FrontPageError {
            context.audit.update { $0.detail = $0.detail ?? error.auditDetail }
            response = Self.errorPage(status: error.status, message: error.message(FrontText(language: .of(request))), context: context, request: request)
        } catch let error as HTTPResponseError where error.status == .notFound {
            response = Self.errorPage(status: .notFound, message: FrontText(language: .of(request)).notFound, context: context, request: request)
        }
        Self.applySecurityHeaders(to: &response.headers)
        return response
    }

    static func applySecurityHeaders(to headers: inout HTTPFields) {
        if headers[.contentSecurityPolicy] == nil { headers[.contentSecurityPolicy] = contentSecurityPolicy }
        headers[.xContentTypeOptions] = "nosniff"
        if let referrerPolicy { headers[referrerPolicy] = "no-referrer" }
        if let frameOptions { headers[frameOptions] = "DENY" }
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
    }

    static func errorPage(status: HTTPResponse.Status, message: String, context: Context, request: Request) -> Response {
        let text = FrontText(language: .of(request))
        let body = """
            <p class="error" role="alert">\(HTML.escape(message))</p>
            <p class="note">\(HTML.escape(text.traceID("\(context.id)")))</p>
            """
        return HTMLPage(text: text, title: text.errorTitle, body: body, languageBack: "/").response(status: status)
    }
}
