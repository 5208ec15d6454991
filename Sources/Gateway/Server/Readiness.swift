import NIOCore

/// The addresses the two listeners are bound to (with the real port when port 0 was asked for).
public struct BoundAddresses: Sendable, Hashable {
    public var front: ListenAddress
    public var back: ListenAddress
}

/// Calls back once both listeners are bound.
actor Readiness {
    private var front: ListenAddress?
    private var back: ListenAddress?
    private let onReady: @Sendable (BoundAddresses) async -> Void

    init(onReady: @escaping @Sendable (BoundAddresses) async -> Void) {
        self.onReady = onReady
    }

    func bound(front address: SocketAddress?) async {
        front = address.flatMap(Self.listenAddress)
        await reportIfReady()
    }

    func bound(back address: SocketAddress?) async {
        back = address.flatMap(Self.listenAddress)
        await reportIfReady()
    }

    static func listenAddress(_ address: SocketAddress) -> ListenAddress? {
        guard let ip = address.ipAddress, let port = address.port else { return nil }
        return ListenAddress(host: ip, port: port)
    }

    private func reportIfReady() async {
        guard let front, let back else { return }
        await onReady(BoundAddresses(front: front, back: back))
    }
}
