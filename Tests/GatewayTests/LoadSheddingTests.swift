import Audit
import FHIR
import Foundation
import Testing

@testable import Gateway

/// Past its capacity a listener answers 503 with `Retry-After` at once, reports the burst to the audit
/// log, and serves again as soon as a place is free.
@Suite("Load shedding")
struct LoadSheddingTests {
    @Test("with every place taken a request is answered 503 with Retry-After at once, the burst is audited, and service resumes when a place frees")
    func shedsAndRecovers() async throws {
        try await GatewayHarness.withGateway(configure: { $0.maxConcurrentRequests = 2 }, seed: TestData.seed) { gateway in
            let tls = try gateway.tls(as: .pgoDemo)
            let port = gateway.addresses.back.port
            // Two requests whose bodies never finish hold both places.
            try await RawTLSConnection.withConnection(port: port, tls: tls) { first in
                try await first.send(GracefulShutdownTests.validateHead + "{")
                try await RawTLSConnection.withConnection(port: port, tls: tls) { second in
                    try await second.send(GracefulShutdownTests.validateHead + "{")
                    try await Task.sleep(for: .milliseconds(300))
                    let clock = ContinuousClock()
                    for _ in 0..<5 {
                        let start = clock.now
                        let reply = try await gateway.request(.GET, "/fhir/metadata")
                        #expect(reply.status == 503)
                        #expect(reply.header("Retry-After") == "1")
                        #expect(try reply.json()["issue"]?.elements.first?["code"]?.stringValue == "transient")
                        #expect(clock.now - start < .seconds(1), "a shed request must be answered at once, took \(clock.now - start)")
                    }
                }
            }
            // Both stalled connections are closed: their places are free again.
            var status = 0
            for _ in 0..<50 where status != 200 {
                status = try await gateway.request(.GET, "/fhir/metadata").status
                if status != 200 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(status == 200, "the listener did not recover after the stalled requests ended")

            var overload: [AuditRecord] = []
            for _ in 0..<100 where overload.isEmpty {
                overload = try await gateway.auditRecords().filter { $0.event.kind == .overload }
                if overload.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            }
            // The first refusal after a quiet spell is reported at once; the rest of a burst within
            // ten seconds is counted into the next report.
            let event = try #require(overload.first?.event)
            #expect(overload.count == 1)
            #expect(event.status == 503 && event.channel == .back && event.path == "/fhir/metadata")
            #expect(event.detail?.hasPrefix("1 request(s) answered 503: 2 already in progress") == true)
            #expect(try await gateway.auditReader.verify().isIntact)
        }
    }

    @Test("the capacity defaults to 256 requests per listener, is read from a configuration file, and must be positive")
    func capacityConfiguration() throws {
        #expect(try JSONDecoder().decode(GatewayConfiguration.self, from: Data("{}".utf8)).maxConcurrentRequests == 256)
        let configured = try JSONDecoder().decode(GatewayConfiguration.self, from: Data(#"{"maxConcurrentRequests": 8}"#.utf8))
        #expect(configured.maxConcurrentRequests == 8)
        var invalid = GatewayConfiguration()
        invalid.maxConcurrentRequests = 0
        #expect(throws: ConfigurationError.self) { try invalid.validate() }
    }
}
