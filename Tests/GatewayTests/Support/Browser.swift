import AsyncHTTPClient
import Auth
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Store
import Synchronization

@testable import Gateway

/// A browser on the front channel: keeps cookies, never follows redirects (the last one goes to the
/// PGO app's unreachable host), sends no client certificate.
final class Browser: Sendable {
    struct Page: Sendable {
        let status: Int
        let headers: [String: String]
        let setCookies: [String]
        let body: String

        func header(_ name: String) -> String? { headers[name.lowercased()] }
        /// The CSRF token of the (first) form on the page.
        var csrf: String? { Self.capture(#"name="csrf" value="([^"]+)""#, in: body) }
        /// The TOTP key shown at enrolment, spaces removed.
        var totpSecret: String? { Self.capture(#"id="totp-secret">([A-Z2-7 ]+)<"#, in: body)?.replacingOccurrences(of: " ", with: "") }
        var location: String? { header("location") }

        /// A query parameter of the redirect's Location.
        func redirectParameter(_ name: String) -> String? {
            guard let location, let components = URLComponents(string: location) else { return nil }
            return components.queryItems?.first { $0.name == name }?.value
        }

        static func capture(_ pattern: String, in text: String) -> String? {
            guard let expression = try? NSRegularExpression(pattern: pattern),
                let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                let range = Range(match.range(at: 1), in: text)
            else { return nil }
            return String(text[range])
        }
    }

    let baseURL: String
    let tls: TLSConfiguration
    let client: HTTPClient
    let language: String
    private let jar = Mutex<[String: String]>([:])

    init(_ gateway: RunningGateway, language: String = "nl") throws {
        baseURL = gateway.frontURL
        tls = try gateway.tls(as: nil)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        self.language = language
    }

    var cookies: [String: String] { jar.withLock { $0 } }
    var sessionCookie: String? { cookies[SessionManager.cookieName] }

    func setCookie(_ name: String, _ value: String) { jar.withLock { $0[name] = value } }

    func get(_ path: String) async throws -> Page {
        try await send(.GET, path, body: nil)
    }

    /// Posts a form; `csrf` is added as the `csrf` field when given.
    func post(_ path: String, _ fields: [(String, String)], csrf: String?) async throws -> Page {
        var all = fields
        if let csrf { all.append(("csrf", csrf)) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.POST, path, body: body)
    }

    func shutdown() async throws {
        try await client.shutdown()
    }

    /// A browser for `body`, shut down afterwards whatever happens.
    static func using<Result: Sendable>(
        _ gateway: RunningGateway, language: String = "nl", _ body: (Browser) async throws -> Result
    ) async throws -> Result {
        let browser = try Browser(gateway, language: language)
        let outcome = await Swift.Result.awaiting { try await body(browser) }
        try await browser.shutdown()
        return try outcome.get()
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> Page {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.tlsConfiguration = tls
        request.headers.add(name: "Accept-Language", value: language)
        let cookieHeader = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
        if !cookieHeader.isEmpty { request.headers.add(name: "Cookie", value: cookieHeader) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 4 * 1024 * 1024)
        var headers = [String: String]()
        var setCookies = [String]()
        for header in response.headers {
            headers[header.name.lowercased()] = header.value
            if header.name.lowercased() == "set-cookie" { setCookies.append(header.value) }
        }
        for cookie in setCookies { store(cookie) }
        return Page(status: Int(response.status.code), headers: headers, setCookies: setCookies, body: String(buffer: collected))
    }

    private func store(_ setCookie: String) {
        let first = setCookie.split(separator: ";").first.map(String.init) ?? ""
        guard let equals = first.firstIndex(of: "=") else { return }
        let name = String(first[..<equals])
        let value = String(first[first.index(after: equals)...])
        let removed = setCookie.contains("Max-Age=0") || value.isEmpty
        jar.withLock { $0[name] = removed ? nil : value }
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
