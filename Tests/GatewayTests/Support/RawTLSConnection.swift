import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// One TLS connection driven by hand, byte by byte: for requests an HTTP client will not send, such
/// as a body that stalls halfway, and for watching when the gateway closes the connection.
struct RawTLSConnection {
    let inbound: NIOAsyncChannelInboundStream<ByteBuffer>
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    enum Failure: Error {
        case handshakeDidNotComplete
    }

    /// Connects, completes the TLS handshake, runs `body`, and closes the connection.
    static func withConnection<Result: Sendable>(
        port: Int, tls: TLSConfiguration, _ body: (RawTLSConnection) async throws -> Result
    ) async throws -> Result {
        let context = try NIOSSLContext(configuration: tls)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let handshakeDone = eventLoop.makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: eventLoop)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHandler(TLSProbe.HandshakeWatcher(promise: handshakeDone))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await handshakeDone.futureResult.get()
            return try await body(RawTLSConnection(inbound: inbound, outbound: outbound))
        }
    }

    func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// Everything the server sends until it closes the connection. An unclean TLS shutdown counts as
    /// closed: what matters here is that the server hung up.
    func readUntilClosed() async throws -> [UInt8] {
        var received = [UInt8]()
        do {
            for try await buffer in inbound { received += buffer.readableBytesView }
        } catch NIOSSLError.uncleanShutdown {
            return received
        }
        return received
    }

    /// Whether a plain TCP connection to the port is refused, polled for up to `attempts` × 50 ms:
    /// a listener that stopped accepting has closed its socket.
    static func isRefused(port: Int, attempts: Int = 100) async throws -> Bool {
        for _ in 0..<attempts {
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port).get()
                // Accepted: still listening. The gateway may already have hung up on it while quiescing.
                try? await channel.close()
                try await Task.sleep(for: .milliseconds(50))
            } catch let error as IOError where error.errnoCode == ECONNREFUSED {
                return true
            } catch is NIOConnectionError {
                return true
            }
        }
        return false
    }
}

/// A raw HTTP/1.1 response, split into status, headers and body.
struct RawHTTPResponse {
    let status: Int
    let headers: [String: String]
    let body: [UInt8]

    init?(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        guard let statusLine = lines.first, let code = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            return nil
        }
        var headers = [String: String]()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        status = code
        self.headers = headers
        body = Array(text[split.upperBound...].utf8)
    }
}
