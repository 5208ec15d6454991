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

    actor TokenBox {
        var value: String?
        func set(_ token: String) { value = token }
    }
}
