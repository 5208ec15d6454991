import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTLS
import LoadSupport
import NIOCore

/// The ceiling for read-by-id: the gateway's HTTP/TLS stack (Hummingbird, HTTP/1.1, the back listener's
/// mutual-TLS settings and idle timeout) with a handler that only answers a fixed body of the size the
/// gateway's answer has. Prints `  back  (mutual TLS): https://HOST:PORT` like `zorgnet serve`.
@main
struct TrivialServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zorgnet-trivial", abstract: "A fixed-body handler on the gateway's TLS/HTTP stack.")

    @Option(help: "Directory with server.crt, server.key and ca.crt (a gateway data dir's pki/).")
    var pki: String

    @Option(help: "Size in bytes of the body every GET answers with.")
    var bodySize: Int

    @Option(help: "Listen address host:port (port 0: any free port).")
    var listen = "127.0.0.1:0"

    func run() async throws {
        let parts = listen.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--listen HOST:PORT") }
        let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: bodySize)
        let router = Router()
        // Any path: the load asks for the same path as on the gateway.
        router.get("**") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/fhir+json;charset=utf-8"],
                body: ResponseBody(byteBuffer: body))
        }
        let application = Application(
            router: router,
            // The gateway's idle timeout default is irrelevant under constant load; its value is kept.
            server: try .tls(.http1(configuration: .init(idleTimeout: .seconds(60))), tlsConfiguration: GatewayTLS.backServer(pki: pki)),
            configuration: .init(address: .hostname(String(parts[0]), port: port)),
            onServerRunning: { channel in
                let address = channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
                FileHandle.standardOutput.write(Data("  back  (mutual TLS): https://\(address)\n".utf8))
            })
        try await application.runService()
    }
}
