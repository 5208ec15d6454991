import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// Performs a bare TLS handshake against a listener and reports the negotiated version, so protocol
/// and cipher policy can be tested without an HTTP client's retries in the way.
enum TLSProbe {
    static func handshake(port: Int, tls: TLSConfiguration) async throws -> TLSVersion? {
        let context = try NIOSSLContext(configuration: tls)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let handshakeDone = eventLoop.makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(promise: handshakeDone))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        defer { channel.close(promise: nil) }
        try await handshakeDone.futureResult.get()
        return try await channel.nioSSL_tlsVersion().get()
    }

    enum ProbeError: Error {
        case noHTTPResponse([UInt8])
    }

    /// Sends one `GET` over a fresh TLS connection and returns the HTTP status, or throws how the
    /// server refused. Unlike ``handshake(port:tls:)`` this sees a client certificate being refused
    /// under TLS 1.3, where the server's verdict arrives after the client finished its handshake.
    static func request(port: Int, tls: TLSConfiguration, path: String = "/fhir/metadata") async throws -> Int {
        try await RawTLSConnection.withConnection(port: port, tls: tls) { connection in
            // The server's alert can close the connection before the request is written; the
            // reason is then waiting in the inbound stream, so read it before giving up.
            let sent = await Result.awaiting {
                try await connection.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            }
            let bytes = try await connection.readUntilClosed()
            try sent.get()
            guard let response = RawHTTPResponse(bytes) else { throw ProbeError.noHTTPResponse(bytes) }
            return response.status
        }
    }

    /// The TLS refusal an error carries, if it is one: NIOSSL reports alerts received during the
    /// handshake as `handshakeFailed`, and after it (TLS 1.3 client certificates) as a bare BoringSSL error.
    static func refusal(in error: any Error) -> String? {
        switch error {
        case NIOSSLError.handshakeFailed(let underlying): String(describing: underlying)
        case let underlying as BoringSSLError: String(describing: underlying)
        default: nil
        }
    }

    /// Completes the promise once: with the handshake, or with the first error or the connection closing.
    final class HandshakeWatcher: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        private let promise: EventLoopPromise<Void>
        private var completed = false

        init(promise: EventLoopPromise<Void>) {
            self.promise = promise
        }

        private func complete(_ result: Result<Void, any Error>) {
            guard !completed else { return }
            completed = true
            promise.completeWith(result)
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case TLSUserEvent.handshakeCompleted = event { complete(.success(())) }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            complete(.failure(error))
            // Passed on so that a refusal after the handshake (TLS 1.3 checks the client certificate
            // only then) reaches whoever reads the connection.
            context.fireErrorCaught(error)
        }

        func channelInactive(context: ChannelHandlerContext) {
            complete(.failure(ChannelError.alreadyClosed))
            context.fireChannelInactive()
        }
    }
}
