import AsyncHTTPClient
import Foundation
import LoadSupport
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One simulated client: its own HTTPClient limited to one HTTP/1.1 connection, so sequential
/// requests reuse one mutual-TLS keep-alive connection, as a PGO app or an EPD would.
final class PinnedConnection: Sendable {
    let client: HTTPClient
    let base: String
    let headers: HTTPHeaders

    struct Outcome: Sendable {
        var status: Int
        var bytes: Int
        var nanoseconds: UInt64
        var body: ByteBuffer
        var retryAfter: String?
    }

    init(base: String, tls: TLSConfiguration, bearer: String? = nil) {
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.httpVersion = .http1Only
        configuration.connectionPool = .init(idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: 1)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        self.base = base
        var headers: HTTPHeaders = ["Accept": "application/fhir+json"]
        if let bearer { headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        self.headers = headers
    }

    /// Sends one request and reads the whole answer; the time covers both.
    func send(_ path: String, method: HTTPMethod = .GET, body: ByteBuffer? = nil, contentType: String? = nil) async throws -> Outcome {
        var request = HTTPClientRequest(url: base + "/" + path)
        request.method = method
        request.headers = headers
        if let contentType { request.headers.replaceOrAdd(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(body) }
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await client.execute(request, timeout: .seconds(60))
        let answer = try await response.body.collect(upTo: 64 << 20)
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        return Outcome(
            status: Int(response.status.code), bytes: answer.readableBytes, nanoseconds: elapsed, body: answer,
            retryAfter: response.headers.first(name: "Retry-After"))
    }

    func close() async {
        try? await client.shutdown()
    }
}
