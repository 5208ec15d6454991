import FHIR
import Foundation
import Testing

@testable import Gateway

/// Hostile requests as tests: each must be refused or answered harmlessly, change nothing, leak no
/// other patient's data, and leave an audit event.
@Suite("Security probes")
struct SecurityProbeTests {
    static let injections = [
        "x' OR '1'='1", "\"; DROP TABLE resource; --", "%' OR 1=1 --", "x\\' UNION SELECT * FROM access_token --",
    ]

    @Test("SQL meta-characters in every declared search parameter never error, leak or change anything")
    func sqlMetaCharactersInEverySearchParameter() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let before = try await BadInputTests.storedData(gateway)
            var statuses: [Int: Int] = [:]
            for (type, parameter) in CapabilityStatementTests.declared {
                for injection in Self.injections {
                    let value = injection.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                    let reply = try await gateway.request(.GET, "/fhir/\(type)?\(parameter)=\(value)", token: token)
                    statuses[reply.status, default: 0] += 1
                    #expect(reply.status == 200 || reply.status == 400, "\(type)?\(parameter): \(reply.status) \(reply.text.prefix(200))")
                    if reply.status == 200 {
                        let ids = (try reply.json()["entry"]?.elements ?? []).compactMap { $0["resource"]?["id"]?.stringValue }
                        #expect(!ids.contains { $0.contains("p2") }, "\(type)?\(parameter) leaked another patient's data")
                    }
                }
            }
            #expect(statuses[500] == nil)
            #expect(try await BadInputTests.storedData(gateway) == before)
            let events = try await gateway.auditRecords()
            #expect(events.count >= CapabilityStatementTests.declared.count * Self.injections.count)
        }
    }

    @Test("path traversal reaches no file and no other route", arguments: [
        "/fhir/../Package.swift", "/fhir/Patient/..%2F..%2FPackage.swift", "/fhir/%2e%2e/%2e%2e/etc/passwd",
        "/fhir/Patient/p1/_history/..%2F..%2F..", "/assets/../Package.swift", "/assets/%2e%2e/Package.swift",
    ])
    func pathTraversal(_ path: String) async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            let before = try await BadInputTests.storedData(gateway)
            for front in [false, true] {
                let reply = try await gateway.request(.GET, path, token: token, front: front)
                #expect([400, 401, 403, 404].contains(reply.status), "\(path) \(front ? "front" : "back"): \(reply.status)")
                #expect(!reply.text.contains("swift-tools-version") && !reply.text.contains("root:x:0:0"))
            }
            #expect(try await BadInputTests.storedData(gateway) == before)
            #expect(try await gateway.auditRecords().count >= 2)
        }
    }

    @Test("an oversized header is refused without harm, and the next request is served")
    func oversizedHeader() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let huge = String(repeating: "a", count: 200_000)
            let refused = try? await gateway.request(.GET, "/fhir/metadata", headers: [("X-Correlation-ID", huge)])
            let status = refused?.status ?? 0
            #expect(refused == nil || status >= 400, "a 200 KB header must not be accepted: \(status)")
            let after = try await gateway.request(.GET, "/fhir/metadata")
            #expect(after.status == 200)
        }
    }

    @Test("a correlation id is echoed only when short and never beyond its own header")
    func correlationEcho() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let short = try await gateway.request(.GET, "/fhir/metadata", headers: [("X-Correlation-ID", "abc-123")])
            #expect(short.header("x-correlation-id") == "abc-123")
            let long = try await gateway.request(.GET, "/fhir/metadata", headers: [("X-Correlation-ID", String(repeating: "b", count: 500))])
            #expect(long.header("x-correlation-id") == nil)
        }
    }
}
