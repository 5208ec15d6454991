import Audit
import Foundation
import NIOSSL
import Testing

@testable import Gateway

/// Slow and malformed clients below HTTP: they cannot hold connections open, cannot smuggle bytes into
/// a response, and what the gateway refuses this way is in the audit log like any other refusal.
@Suite("Security probes: slow clients and raw header injection")
struct SlowClientProbeTests {
    /// Sends `bytes` one at a time, `interval` apart, until done or the server hangs up; and reads
    /// until the server closes. Returns how long the server kept the connection and what it sent.
    static func dribble(
        _ prefix: String, then bytes: String, every interval: Duration, port: Int, tls: TLSConfiguration
    ) async throws -> (held: Duration, received: [UInt8]) {
        let clock = ContinuousClock()
        let start = clock.now
        let received = try await RawTLSConnection.withConnection(port: port, tls: tls) { connection in
            try await connection.send(prefix)
            return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
                group.addTask {
                    // Once the server has hung up the writes fail (and the reader ends, cancelling this
                    // task): that is the point, not an error.
                    for byte in bytes {
                        do {
                            try await Task.sleep(for: interval)
                            try await connection.send(String(byte))
                        } catch {
                            return nil
                        }
                    }
                    return nil
                }
                group.addTask { try await connection.readUntilClosed() }
                var answer: [UInt8] = []
                for try await result in group {
                    if let result {
                        answer = result
                        group.cancelAll()
                    }
                }
                return answer
            }
        }
        return (clock.now - start, received)
    }

    /// The audit records of kind `connectionRefused`, waited for: the refusal log appends them
    /// after the connection is gone.
    static func refusals(in gateway: RunningGateway, atLeast count: Int = 1) async throws -> [AuditRecord] {
        for _ in 0..<100 {
            let found = try await gateway.auditRecords().filter { $0.event.kind == .connectionRefused }
            if found.count >= count { return found }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await gateway.auditRecords().filter { $0.event.kind == .connectionRefused }
    }

    @Test("a client that dribbles its request head is closed at the idle timeout, however steadily the bytes come")
    func dribbledHeadIsClosed() async throws {
        try await GatewayHarness.withGateway(configure: { $0.idleTimeoutSeconds = 1 }, seed: TestData.seed) { gateway in
            let header = "X-Slow: " + String(repeating: "a", count: 200) + "\r\n"
            let (held, received) = try await Self.dribble(
                "GET /fhir/metadata HTTP/1.1\r\nHost: 127.0.0.1\r\n", then: header, every: .milliseconds(50),
                port: gateway.addresses.back.port, tls: try gateway.tls(as: .pgoDemo))
            // 200 bytes at 50 ms would take 10 s; the idle timeout (1 s) ends it long before.
            #expect(held < .seconds(5), "the gateway held a dribbling client for \(held)")
            #expect(received.isEmpty, "nothing is answered to a head that never completed")
            #expect(try await gateway.request(.GET, "/fhir/metadata").status == 200)
        }
    }

    @Test("a body that does not arrive within the read deadline closes the connection, and the refusal is audited")
    func dribbledBodyIsClosedAndAudited() async throws {
        try await GatewayHarness.withGateway(
            configure: { $0.requestReadTimeoutSeconds = 1; $0.idleTimeoutSeconds = 60 }, seed: TestData.seed
        ) { gateway in
            let body = String(repeating: " ", count: 200) + GracefulShutdownTests.validateBody
            let head = "POST /fhir/Patient/$validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/fhir+json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n"
            let (held, _) = try await Self.dribble(
                head, then: body, every: .milliseconds(50), port: gateway.addresses.back.port, tls: try gateway.tls(as: .pgoDemo))
            // Every 50 ms a body byte resets the idle timer; only the read deadline (1 s) ends it.
            #expect(held < .seconds(6), "the gateway held a dribbling body for \(held)")
            let refusal = try #require(try await Self.refusals(in: gateway).first)
            #expect(refusal.event.status == 408)
            #expect(refusal.event.channel == .back)
            #expect(refusal.event.method == "POST" && refusal.event.path == "/fhir/Patient/$validate")
            #expect(refusal.event.detail?.contains("did not arrive within 1 s") == true)
            #expect(refusal.event.clientAddress?.hasPrefix("127.0.0.1:") == true)
            #expect(try await gateway.auditReader.verify().isIntact)
        }
    }

    @Test("forty slow clients at once do not keep a normal client from being served")
    func slowClientsDoNotStarveOthers() async throws {
        try await GatewayHarness.withGateway(configure: { $0.idleTimeoutSeconds = 3 }, seed: TestData.seed) { gateway in
            let tls = try gateway.tls(as: .pgoDemo)
            let port = gateway.addresses.back.port
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        _ = try? await Self.dribble(
                            "GET /fhir/metadata HTTP/1.1\r\n", then: String(repeating: "b", count: 100), every: .milliseconds(100),
                            port: port, tls: tls)
                    }
                }
                try await Task.sleep(for: .milliseconds(500))
                let clock = ContinuousClock()
                let start = clock.now
                let reply = try await gateway.request(.GET, "/fhir/metadata")
                #expect(reply.status == 200)
                #expect(clock.now - start < .seconds(2), "a normal request waited \(clock.now - start) behind slow clients")
                try await group.waitForAll()
            }
        }
    }

    @Test(
        "a raw CR inside a header value is refused before any route, nothing reaches the response, and the refusal is audited",
        arguments: ["X-Correlation-ID: abc\rSet-Cookie: injected=1", "MedMij-Request-ID: abc\r Set-Cookie: injected=1", "X-Bad\u{0}Name: 1"])
    func rawCarriageReturnIsRefused(_ header: String) async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let received = try await RawTLSConnection.withConnection(
                port: gateway.addresses.back.port, tls: try gateway.tls(as: .pgoDemo)
            ) { connection in
                try await connection.send("GET /fhir/metadata HTTP/1.1\r\nHost: 127.0.0.1\r\n\(header)\r\n\r\n")
                return try await connection.readUntilClosed()
            }
            let text = String(decoding: received, as: UTF8.self)
            #expect(!text.contains("injected"))
            #expect(!text.hasPrefix("HTTP/1.1 200"), "a request with a raw CR in a header was served")
            let refusal = try #require(try await Self.refusals(in: gateway).first)
            #expect(refusal.event.status == 400)
            #expect(refusal.event.detail?.hasPrefix("malformed HTTP request") == true)
            #expect(refusal.event.detail?.contains("injected") == false, "the audit event must not carry the request's bytes")
        }
    }

    @Test("a bare LF ends the header line: the rest is a request header of its own and never reaches the response")
    func bareLineFeedInjectsNothing() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let received = try await RawTLSConnection.withConnection(
                port: gateway.addresses.back.port, tls: try gateway.tls(as: .pgoDemo)
            ) { connection in
                try await connection.send(
                    "GET /fhir/metadata HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Correlation-ID: abc\nSet-Cookie: injected=1\r\nConnection: close\r\n\r\n")
                return try await connection.readUntilClosed()
            }
            let text = String(decoding: received, as: UTF8.self)
            #expect(!text.lowercased().contains("set-cookie"), "no cookie may be set by a request header: \(text.prefix(300))")
            #expect(!text.contains("injected"))
        }
    }
}
