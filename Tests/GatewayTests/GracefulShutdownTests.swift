import Audit
import Foundation
import NIOSSL
import Testing

@testable import Gateway

/// Shutdown behaviour, driven over raw TLS connections so requests can be held open mid-body.
@Suite("Graceful shutdown")
struct GracefulShutdownTests {
    static let validateBody = #"{"resourceType":"Patient","id":"x"}"#

    /// The head of a `$validate` request announcing `validateBody`; callers send the body in parts.
    static var validateHead: String {
        "POST /fhir/Patient/$validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/fhir+json\r\n"
            + "Content-Length: \(validateBody.utf8.count)\r\n\r\n"
    }

    /// A started gateway: its addresses and the trigger that stops it.
    struct Started {
        let addresses: BoundAddresses
        let shutdown: GatewayShutdown
    }

    /// Starts the prepared gateway, runs `body` while it runs, and returns once `run` has returned;
    /// `body` must request the shutdown, so a shutdown that never completes hangs the test visibly.
    static func withServer(
        _ prepared: PreparedGateway, limit: Duration = GatewayServer.defaultGracefulShutdownLimit,
        _ body: @escaping @Sendable (Started) async throws -> Void
    ) async throws {
        let server = prepared.server(gracefulShutdownLimit: limit)
        let shutdown = GatewayShutdown(trapsSignals: false)
        let (ready, readyContinuation) = AsyncStream.makeStream(of: BoundAddresses.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { readyContinuation.finish() }
                try await server.run(shutdown: shutdown) { readyContinuation.yield($0) }
            }
            var iterator = ready.makeAsyncIterator()
            guard let addresses = await iterator.next() else {
                try await group.waitForAll()
                throw GatewayHarness.HarnessError.serverStoppedBeforeReady
            }
            group.addTask { try await body(Started(addresses: addresses, shutdown: shutdown)) }
            try await group.waitForAll()
        }
    }

    /// A WAL file that is gone or empty: its database was checkpointed and closed.
    static func walIsFolded(_ databasePath: String) -> Bool {
        let attributes = try? FileManager.default.attributesOfItem(atPath: databasePath + "-wal")
        return attributes.map { ($0[.size] as? Int) == 0 } ?? true
    }

    @Test("a graceful shutdown lets the request in flight finish, refuses new connections, then closes both databases")
    func drainsThenCloses() async throws {
        let prepared = try await GatewayHarness.prepare(seed: TestData.seed)
        let tls = try prepared.tls(as: .pgoDemo)
        let bytes = Array(Self.validateBody.utf8)
        let replies = ReplyBox()
        try await Self.withServer(prepared) { started in
            let reply = try await RawTLSConnection.withConnection(port: started.addresses.back.port, tls: tls) { connection in
                try await connection.send(Self.validateHead + String(decoding: bytes.prefix(10), as: UTF8.self))
                // Give the gateway time to read the head: from then on the request counts as in flight.
                try await Task.sleep(for: .milliseconds(300))
                started.shutdown.requestShutdown()
                #expect(try await RawTLSConnection.isRefused(port: started.addresses.back.port), "back still accepts")
                #expect(try await RawTLSConnection.isRefused(port: started.addresses.front.port), "front still accepts")
                try await connection.send(String(decoding: bytes.dropFirst(10), as: UTF8.self))
                return try await connection.readUntilClosed()
            }
            await replies.set(reply)
        }
        let response = try #require(RawHTTPResponse(await replies.value))
        #expect(response.status == 200)
        #expect(response.headers["content-length"] == String(response.body.count))
        #expect(String(decoding: response.body, as: UTF8.self).contains("OperationOutcome"))

        #expect(Self.walIsFolded(prepared.directory.auditDatabasePath))
        #expect(Self.walIsFolded(prepared.directory.gatewayDatabasePath))
        let log = try AuditLog(readingAt: prepared.directory.auditDatabasePath)
        defer { try? log.close() }
        let records = try await log.records()
        #expect(records.map(\.event.path) == ["/fhir/Patient/$validate"], "the drained request was audited before the log closed")
        #expect(records.first?.event.status == 200)
    }

    @Test(
        "a request that stalls mid-body cannot hold up shutdown: the limit or a second request cancels it",
        arguments: ["limit", "second request"])
    func stalledRequestIsCancelled(_ escalation: String) async throws {
        let prepared = try await GatewayHarness.prepare { $0.idleTimeoutSeconds = 600 }
        let tls = try prepared.tls(as: .pgoDemo)
        let limit: Duration = escalation == "limit" ? .seconds(1) : .seconds(600)
        let clock = ContinuousClock()
        let elapsed = ElapsedBox()
        try await Self.withServer(prepared, limit: limit) { started in
            try await RawTLSConnection.withConnection(port: started.addresses.back.port, tls: tls) { connection in
                try await connection.send(Self.validateHead + "{")
                try await Task.sleep(for: .milliseconds(300))
                let start = clock.now
                started.shutdown.requestShutdown()
                if escalation == "second request" {
                    try await Task.sleep(for: .milliseconds(300))
                    started.shutdown.requestShutdown()
                }
                // The stalled request never gets its body; the gateway must hang up on it.
                _ = try await connection.readUntilClosed()
                await elapsed.set(clock.now - start)
            }
        }
        let waited = try #require(await elapsed.value)
        #expect(waited < .seconds(15), "shutdown waited \(waited) for a stalled client")
        #expect(Self.walIsFolded(prepared.directory.auditDatabasePath))
    }

    @Test("a connection that sends nothing is closed after the idle timeout")
    func idleConnectionIsClosed() async throws {
        let prepared = try await GatewayHarness.prepare { $0.idleTimeoutSeconds = 0.5 }
        let tls = try prepared.tls(as: .pgoDemo)
        let clock = ContinuousClock()
        try await Self.withServer(prepared) { started in
            let start = clock.now
            let closed = try await Self.race(seconds: 10) {
                try await RawTLSConnection.withConnection(port: started.addresses.back.port, tls: tls) { connection in
                    try await connection.send("GET /fhir/metadata HTTP/1.1\r\nHost: 127.0.0.1\r\n")  // head never finished
                    _ = try await connection.readUntilClosed()
                }
            }
            #expect(closed, "the gateway kept a stalled connection open")
            #expect(clock.now - start < .seconds(5))
            started.shutdown.requestShutdown()
        }
    }

    @Test("SIGTERM shuts the gateway down gracefully and closes the databases")
    func sigtermStops() async throws {
        let prepared = try await GatewayHarness.prepare()
        let server = prepared.server()
        let (ready, readyContinuation) = AsyncStream.makeStream(of: BoundAddresses.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { readyContinuation.finish() }
                // The signal sequence is registered before the listeners start, so by the time the
                // gateway is ready a SIGTERM reaches it instead of killing the test process.
                try await server.run(shutdown: GatewayShutdown(trapsSignals: true)) { readyContinuation.yield($0) }
            }
            var iterator = ready.makeAsyncIterator()
            _ = try #require(await iterator.next())
            kill(getpid(), SIGTERM)
            try await group.waitForAll()
        }
        #expect(Self.walIsFolded(prepared.directory.auditDatabasePath))
        #expect(prepared.logs.all.contains("SIGTERM"))
    }

    /// Whether `operation` finishes within `seconds`.
    static func race(seconds: Int, _ operation: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await operation()
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    actor ReplyBox {
        var value: [UInt8] = []
        func set(_ bytes: [UInt8]) { value = bytes }
    }

    actor ElapsedBox {
        var value: Duration?
        func set(_ duration: Duration) { value = duration }
    }
}
