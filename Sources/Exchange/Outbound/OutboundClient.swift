import AsyncHTTPClient
import FHIR
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// How long outbound requests may take. MedMij promises a token within 10 s (core.tknint.206) and a
/// resource answer within 60 s (core.rscint.202); waiting longer only holds the patient up.
public struct OutboundTimeouts: Sendable, Hashable {
    /// Establishing the TCP connection and the TLS handshake.
    public var connect: Duration
    /// A whole token request, from connecting to the last byte.
    public var token: Duration
    /// A whole resource request, from connecting to the last byte.
    public var resource: Duration

    public init(connect: Duration = .seconds(10), token: Duration = .seconds(10), resource: Duration = .seconds(60)) {
        self.connect = connect
        self.token = token
        self.resource = resource
    }

    public static let medMij = OutboundTimeouts()
}

/// The backchannel client: mutual TLS to other MedMij nodes (token and resource endpoints).
///
/// Every request presents the endpoint's client certificate, checks the server's certificate against
/// that endpoint's anchors only and against the URL's host, and is refused before any connection when a
/// MedMij Whitelist is in force and the host is not on it.
///
/// ```swift
/// let client = OutboundClient(whitelist: { try await lists.whitelist() })
/// defer { Task { try await client.shutdown() } }
/// let token = try await client.requestToken(url: tokenURL, form: [("grant_type", "authorization_code"), …],
///                                           headers: medMijHeaders, credentials: credentials)
/// ```
public final class OutboundClient: Sendable {
    /// The Whitelist in force, or nil when none is loaded (then every host with a trusted certificate may be reached).
    public typealias WhitelistSource = @Sendable () async throws -> NodeWhitelist?

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// Which deadline applies.
    public enum Purpose: Sendable {
        case token
        case resource
    }

    public static let defaultMaxResponseBytes = 64 * 1024 * 1024

    public let timeouts: OutboundTimeouts
    public let maxResponseBytes: Int
    private let http: HTTPClient
    private let whitelist: WhitelistSource

    public init(
        timeouts: OutboundTimeouts = .medMij, maxResponseBytes: Int = defaultMaxResponseBytes, whitelist: @escaping WhitelistSource
    ) {
        self.timeouts = timeouts
        self.maxResponseBytes = maxResponseBytes
        self.whitelist = whitelist
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: Self.amount(timeouts.connect), read: Self.amount(max(timeouts.token, timeouts.resource)))
        // A redirect could lead off the whitelisted host with our bearer token; MedMij endpoints do not redirect.
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes pooled connections; call once when done.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Sends one request over mutual TLS and returns the complete answer, whatever its status.
    public func send(
        _ method: HTTPMethod, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        credentials: OutboundCredentials, purpose: Purpose
    ) async throws(OutboundError) -> Response {
        let host = try await admittedHost(url)
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.tlsConfiguration = try credentials.tlsConfiguration()
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let limit = purpose == .token ? timeouts.token : timeouts.resource
        do {
            let response = try await http.execute(request, timeout: Self.amount(limit))
            let collected = try await response.body.collect(upTo: maxResponseBytes)
            return Response(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: Array(collected.readableBytesView))
        } catch {
            throw Self.classify(error, host: host, limit: limit, maxBytes: maxResponseBytes)
        }
    }

    /// The host of an https URL, refused when a Whitelist is in force without it.
    func admittedHost(_ url: String) async throws(OutboundError) -> String {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "https",
            let host = components.host?.lowercased(), !host.isEmpty
        else { throw .invalidURL(url) }
        let list: NodeWhitelist?
        do {
            list = try await whitelist()
        } catch {
            // A whitelist that cannot be read admits nobody: deny by default.
            throw .notOnWhitelist(host: host)
        }
        if let list, !list.contains(host) { throw .notOnWhitelist(host: host) }
        return host
    }

    static func amount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Maps what AsyncHTTPClient and NIOSSL throw onto what went wrong.
    static func classify(_ error: any Error, host: String, limit: Duration, maxBytes: Int) -> OutboundError {
        let seconds = Int(limit.components.seconds)
        if let error = error as? OutboundError { return error }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname { return .wrongHost(host: host) }
        if let error = error as? HTTPClientError {
            // A struct of codes rather than an enum, so compared one by one.
            if [.readTimeout, .writeTimeout, .deadlineExceeded, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout].contains(error) {
                return .timeout(host: host, limitSeconds: seconds)
            }
            if error == .connectTimeout { return .unreachable(host: host, reason: "connect timed out") }
            return .connectionClosed(host: host)
        }
        if error is NIOTooManyBytesError { return .responseTooLarge(limitBytes: maxBytes) }
        if let error = error as? NIOSSLError {
            let text = String(describing: error)
            if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
                return .untrustedCertificate(host: host, reason: "the chain does not end at this endpoint's trust anchors")
            }
            if case .uncleanShutdown = error { return .connectionClosed(host: host) }
            return .tlsHandshakeFailed(host: host, reason: Self.bounded(text))
        }
        if error is CancellationError { return .connectionClosed(host: host) }
        // Connection refused, no route, DNS failure: NIO reports these as IOError or NIOConnectionError.
        return .unreachable(host: host, reason: Self.bounded(String(describing: error)))
    }

    private static func bounded(_ text: String) -> String {
        text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
