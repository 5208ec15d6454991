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
        }

        func channelInactive(context: ChannelHandlerContext) {
            complete(.failure(ChannelError.alreadyClosed))
            context.fireChannelInactive()
        }
    }
}
