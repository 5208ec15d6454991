import Foundation
import Testing

@testable import Gateway

@Suite("Configuration")
struct ConfigurationTests {
    @Test("listen addresses parse host:port and bracketed IPv6", arguments: [
        ("127.0.0.1:9443", "127.0.0.1", 9443), ("[::1]:0", "::1", 0), ("localhost:8443", "localhost", 8443),
    ])
    func listenAddress(_ text: String, _ host: String, _ port: Int) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == text)
    }

    @Test("malformed listen addresses are refused with the text named", arguments: ["9443", ":9443", "host:", "host:70000", "[::1]9443"])
    func badListenAddress(_ text: String) {
        #expect(throws: ConfigurationError.self) { try ListenAddress(parsing: text) }
    }

    @Test("a configuration file sets what it names and keeps defaults for the rest")
    func fileWithDefaults() throws {
        let path = GatewayHarness.temporaryDirectory() + ".json"
        try Data(#"{"back": "[::1]:0", "maxBodySize": 2048, "tls": {"clientTrustAnchors": "/etc/anchors.pem"}}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        let configuration = try GatewayConfiguration.load(file: path)
        #expect(configuration.back == ListenAddress(host: "::1", port: 0))
        #expect(configuration.front == GatewayConfiguration().front)
        #expect(configuration.maxBodySize == 2048)
        #expect(configuration.tls.clientTrustAnchors == "/etc/anchors.pem")
        #expect(configuration.dataDirectory == ".zorgnet")
    }

    @Test("a configuration file with a wrong value names the key")
    func fileWithWrongValue() throws {
        let path = GatewayHarness.temporaryDirectory() + ".json"
        try Data(#"{"maxBodySize": "big"}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try GatewayConfiguration.load(file: path)
        } throws: { error in
            String(describing: error).contains("maxBodySize")
        }
    }

    @Test("values that make no sense together are refused", arguments: [
        GatewayConfiguration(maxBodySize: 10),
        GatewayConfiguration(defaultSearchCount: 0),
        GatewayConfiguration(front: ListenAddress(host: "127.0.0.1", port: 9443), back: ListenAddress(host: "127.0.0.1", port: 9443)),
    ])
    func invalidCombinations(_ configuration: GatewayConfiguration) {
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }

    @Test("audit retention shorter than NEN 7513's two years, or a checkpoint interval of zero, is refused by name", arguments: [
        (#"{"auditRetentionDays": 100}"#, "auditRetentionDays"),
        (#"{"auditCheckpointIntervalSeconds": 0}"#, "auditCheckpointIntervalSeconds"),
    ])
    func auditSettings(_ json: String, _ key: String) throws {
        let path = GatewayHarness.temporaryDirectory() + ".json"
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        let configuration = try GatewayConfiguration.load(file: path)
        #expect { try configuration.validate() } throws: { String(describing: $0).contains(key) }
        #expect(GatewayConfiguration().auditRetentionDays >= 5 * 365)
    }

    @Test("the server refuses to start without TLS material, naming the missing file")
    func missingTLSMaterial() async throws {
        let path = GatewayHarness.temporaryDirectory()
        let server = GatewayServer(
            configuration: GatewayConfiguration(
                dataDirectory: path, front: ListenAddress(host: "127.0.0.1", port: 0), back: ListenAddress(host: "127.0.0.1", port: 0)),
            logger: .init(label: "test"))
        await #expect {
            try await server.run()
        } throws: { error in
            String(describing: error).contains("server.crt")
        }
    }
}
