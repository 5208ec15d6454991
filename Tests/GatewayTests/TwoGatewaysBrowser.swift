import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// A browser that visits more than one gateway: absolute URLs, cookies kept per host (as browsers do:
/// a port does not separate cookies) with their `Path` and `SameSite`, and redirects followed one at a
/// time by the test. A `SameSite=Strict` cookie is not sent when the navigation comes from another
/// site, which is exactly what happens when a provider sends the browser back to `/oauth/callback`.
final class CrossSiteBrowser: Sendable {
    struct Cookie: Sendable, Hashable {
        var value: String
        var path: String
        var strict: Bool
    }

    let client: HTTPClient
    let tls: TLSConfiguration
    let language: String
    /// host → cookie name → cookie.
    private let jar = Mutex<[String: [String: Cookie]]>([:])
    /// The host of the page the browser is on: decides whether a navigation is same-site.
    private let site = Mutex<String?>(nil)

    /// `anchors`: PEM files of the CAs whose server certificates the browser trusts.
    init(trusting anchors: [String], language: String = "nl") throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try anchors.flatMap { try NIOSSLCertificate.fromPEMFile($0) })
        tls = configuration
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        self.language = language
    }

    func cookie(_ name: String, host: String) -> Cookie? { jar.withLock { $0[host]?[name] } }

    func get(_ url: String) async throws -> Browser.Page {
        try await send(.GET, url, body: nil)
    }

    func post(_ url: String, _ fields: [(String, String)], csrf: String?) async throws -> Browser.Page {
        var all = fields
        if let csrf { all.append(("csrf", csrf)) }
        return try await send(.POST, url, body: all.map { "\(Browser.encode($0.0))=\(Browser.encode($0.1))" }.joined(separator: "&"))
    }

    /// Follows a 302/303 `Location` (absolute, or relative to `from`) with a GET.
    func follow(_ page: Browser.Page, from url: String) async throws -> Browser.Page {
        guard let location = page.location, let target = URL(string: location, relativeTo: URL(string: url)) else {
            throw FlowError.unexpected("no redirect: \(page.status) \(page.body.prefix(300))")
        }
        return try await get(target.absoluteString)
    }

    func shutdown() async throws {
        try await client.shutdown()
    }

    static func using<Result: Sendable>(trusting anchors: [String], _ body: (CrossSiteBrowser) async throws -> Result) async throws -> Result {
        let browser = try CrossSiteBrowser(trusting: anchors)
        let outcome = await Swift.Result.awaiting { try await body(browser) }
        try await browser.shutdown()
        return try outcome.get()
    }

    private func send(_ method: HTTPMethod, _ url: String, body: String?) async throws -> Browser.Page {
        guard let components = URLComponents(string: url), let host = components.host else { throw FlowError.unexpected("bad URL \(url)") }
        let sameSite = site.withLock { previous in
            defer { previous = host }
            return previous == nil || previous == host
        }
        let path = components.path.isEmpty ? "/" : components.path
        let cookies = jar.withLock { $0[host] ?? [:] }.filter { _, cookie in
            path.hasPrefix(cookie.path) && (sameSite || !cookie.strict)
        }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.tlsConfiguration = tls
        request.headers.add(name: "Accept-Language", value: language)
        let header = cookies.map { "\($0.key)=\($0.value.value)" }.sorted().joined(separator: "; ")
        if !header.isEmpty { request.headers.add(name: "Cookie", value: header) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        // Collecting runs 28 queries at the provider before the callback page answers.
        let response = try await client.execute(request, timeout: .seconds(120))
        let collected = try await response.body.collect(upTo: 4 * 1024 * 1024)
        var headers = [String: String]()
        var setCookies = [String]()
        for field in response.headers {
            headers[field.name.lowercased()] = field.value
            if field.name.lowercased() == "set-cookie" { setCookies.append(field.value) }
        }
        for cookie in setCookies { store(cookie, host: host) }
        return Browser.Page(status: Int(response.status.code), headers: headers, setCookies: setCookies, body: String(buffer: collected))
    }

    private func store(_ setCookie: String, host: String) {
        let parts = setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, let equals = first.firstIndex(of: "=") else { return }
        let name = String(first[..<equals])
        let value = String(first[first.index(after: equals)...])
        let attributes = parts.dropFirst().map { $0.lowercased() }
        let path = parts.dropFirst().first { $0.lowercased().hasPrefix("path=") }.map { String($0.dropFirst(5)) } ?? "/"
        let removed = attributes.contains("max-age=0") || value.isEmpty
        jar.withLock { jar in
            jar[host, default: [:]][name] = removed ? nil : Cookie(value: value, path: path, strict: attributes.contains("samesite=strict"))
        }
    }
}
