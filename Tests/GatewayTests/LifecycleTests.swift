import FHIR
import Foundation
import Testing

@testable import Gateway

@Suite("Lifecycle")
struct LifecycleTests {
    @Test("a restarted gateway on the same data directory keeps its data, tokens and audit chain")
    func restartKeepsData() async throws {
        let path = GatewayHarness.temporaryDirectory()
        let firstToken = TokenBox()
        try await GatewayHarness.withGateway(dataPath: path, seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            await firstToken.set(token)
            #expect(try await gateway.request(.GET, "/fhir/Patient/p1", token: token).status == 200)
        }
        try await GatewayHarness.withGateway(dataPath: path) { gateway in
            let token = try #require(await firstToken.value)
            let reply = try await gateway.request(.GET, "/fhir/Patient/p1", token: token)
            #expect(reply.status == 200)
            #expect(reply.header("etag") == "W/\"1\"")
            let records = try await gateway.auditRecords()
            #expect(records.count == 2)
        }
    }

    @Test("a gateway that fails before it is ready makes the harness throw its error instead of waiting forever")
    func failedStartSurfaces() async throws {
        await #expect(throws: ConfigurationError.self) {
            try await GatewayHarness.withGateway(configure: { $0.idleTimeoutSeconds = 0 }) { _ in
                Issue.record("the body ran although the gateway never started")
            }
        }
    }

    @Test("a listener that cannot bind fails the run with the databases closed, and the directory serves again")
    func bindFailureClosesDatabases() async throws {
        let path = GatewayHarness.temporaryDirectory()
        // 192.0.2.1 (TEST-NET-1) is never a local address, so binding it fails after the databases opened.
        await #expect(throws: (any Error).self) {
            try await GatewayHarness.withGateway(dataPath: path, configure: { $0.back = ListenAddress(host: "192.0.2.1", port: 0) }) { _ in
                Issue.record("the body ran although the back listener never bound")
            }
        }
        let directory = DataDirectory(path: path)
        #expect(GracefulShutdownTests.walIsFolded(directory.auditDatabasePath))
        #expect(GracefulShutdownTests.walIsFolded(directory.gatewayDatabasePath))
        try await GatewayHarness.withGateway(dataPath: path) { gateway in
            let reply = try await gateway.request(.GET, "/fhir/metadata")
            #expect(reply.status == 200)
        }
    }

    @Test("the idle timeout defaults to 60 seconds, is read from a configuration file, and must be positive")
    func idleTimeoutConfiguration() throws {
        #expect(try JSONDecoder().decode(GatewayConfiguration.self, from: Data("{}".utf8)).idleTimeoutSeconds == 60)
        let configured = try JSONDecoder().decode(GatewayConfiguration.self, from: Data(#"{"idleTimeoutSeconds": 12.5}"#.utf8))
        #expect(configured.idleTimeoutSeconds == 12.5)
        #expect(throws: ConfigurationError.self) { try GatewayConfiguration(idleTimeoutSeconds: 0).validate() }
    }

    @Test("the request read deadline defaults to 120 seconds, is read from a configuration file, and must be positive")
    func requestReadTimeoutConfiguration() throws {
        #expect(try JSONDecoder().decode(GatewayConfiguration.self, from: Data("{}".utf8)).requestReadTimeoutSeconds == 120)
        let configured = try JSONDecoder().decode(GatewayConfiguration.self, from: Data(#"{"requestReadTimeoutSeconds": 30}"#.utf8))
        #expect(configured.requestReadTimeoutSeconds == 30)
        var invalid = GatewayConfiguration()
        invalid.requestReadTimeoutSeconds = 0
        #expect(throws: ConfigurationError.self) { try invalid.validate() }
    }

    actor TokenBox {
        var value: String?
        func set(_ token: String) { value = token }
    }
}
