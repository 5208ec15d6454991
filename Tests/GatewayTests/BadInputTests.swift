import FHIR
import Foundation
import GRDB
import Testing

@testable import Gateway

@Suite("Bad input gets a clear error and changes nothing")
struct BadInputTests {
    static func validate(_ gateway: RunningGateway, _ body: String, contentType: String = "application/fhir+json") async throws
        -> RunningGateway.Reply
    {
        try await gateway.request(.POST, "/fhir/Patient/$validate", headers: [("Content-Type", contentType)], body: Array(body.utf8))
    }

    static func diagnostics(_ reply: RunningGateway.Reply) throws -> String {
        try reply.json()["issue"]?.elements.first?["diagnostics"]?.stringValue ?? ""
    }

    static func issueCode(_ reply: RunningGateway.Reply) throws -> String? {
        try reply.json()["issue"]?.elements.first?["code"]?.stringValue
    }

    /// What a bad request must leave alone: the stored resources and their versions.
    struct StoredData: Equatable {
        let resources: Int
        let versions: Int
    }

    static func storedData(_ gateway: RunningGateway) async throws -> StoredData {
        try await gateway.database.pool.read { db in
            StoredData(
                resources: try Int.fetchOne(db, sql: "SELECT count(*) FROM resource") ?? 0,
                versions: try Int.fetchOne(db, sql: "SELECT count(*) FROM resource_version") ?? 0)
        }
    }

    /// Runs `body` against a gateway seeded with the test data, and checks afterwards that the data
    /// is still all there and nothing was added (the seeded set is non-empty, so "unchanged" means something).
    static func withSeededGateway(maxBodySize: Int = 16 * 1024 * 1024, _ body: @Sendable (RunningGateway) async throws -> Void)
        async throws
    {
        try await GatewayHarness.withGateway(maxBodySize: maxBodySize, seed: TestData.seed) { gateway in
            let before = try await storedData(gateway)
            #expect(before == StoredData(resources: TestData.resources.count, versions: TestData.resources.count))
            try await body(gateway)
            #expect(try await storedData(gateway) == before, "a refused request changed the stored data")
        }
    }

    @Test("a well-formed resource validates with an informational outcome")
    func wellFormed() async throws {
        try await Self.withSeededGateway { gateway in
            let reply = try await Self.validate(gateway, #"{"resourceType":"Patient","id":"x"}"#)
            #expect(reply.status == 200)
            #expect(try reply.json()["issue"]?.elements.first?["severity"]?.stringValue == "information")
        }
    }

    @Test("malformed JSON answers 400 naming line and column")
    func malformedJSON() async throws {
        try await Self.withSeededGateway { gateway in
            let reply = try await Self.validate(gateway, "{\n  \"resourceType\": \"Patient\",\n  \"id\" \"x\"\n}")
            #expect(reply.status == 400)
            let text = try Self.diagnostics(reply)
            #expect(text.contains("line 3"))
            #expect(text.contains("column"))
            #expect(try Self.issueCode(reply) == "structure")
        }
    }

    @Test("malformed XML answers 400 naming the position")
    func malformedXML() async throws {
        try await Self.withSeededGateway { gateway in
            let reply = try await Self.validate(
                gateway, "<Patient xmlns=\"http://hl7.org/fhir\">\n<id value=\"x\">\n</Patient>", contentType: "application/fhir+xml")
            #expect(reply.status == 400)
            #expect(try Self.diagnostics(reply).contains("line"))
            #expect(try Self.issueCode(reply) == "structure")
        }
    }

    @Test("XML with a DOCTYPE or entity is refused", arguments: [
        "<?xml version=\"1.0\"?><!DOCTYPE Patient><Patient xmlns=\"http://hl7.org/fhir\"/>",
        "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><Patient xmlns=\"http://hl7.org/fhir\"><id value=\"&xxe;\"/></Patient>",
    ])
    func doctypeRefused(_ body: String) async throws {
        try await Self.withSeededGateway { gateway in
            let reply = try await Self.validate(gateway, body, contentType: "application/fhir+xml")
            #expect(reply.status == 400)
            #expect(!reply.text.contains("root:"))
            #expect(try Self.issueCode(reply) == "security")
        }
    }

    @Test("a billion-laughs body is refused")
    func billionLaughs() async throws {
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        text += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        for level in 2...9 {
            text += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
        }
        text += "]>\n<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"&lol9;\"/></Patient>"
        let body = text
        try await Self.withSeededGateway { gateway in
            let reply = try await Self.validate(gateway, body, contentType: "application/fhir+xml")
            #expect(reply.status == 400)
            #expect(try Self.issueCode(reply) == "security")
        }
    }

    @Test("a body over the limit answers 413")
    func tooLarge() async throws {
        try await Self.withSeededGateway(maxBodySize: 4096) { gateway in
            let big = #"{"resourceType":"Patient","id":"x","text":{"div":""# + String(repeating: "a", count: 10_000) + "\"}}"
            let reply = try await Self.validate(gateway, big)
            #expect(reply.status == 413)
            #expect(try reply.json()["issue"]?.elements.first?["code"]?.stringValue == "too-long")
        }
    }

    @Test("an unsupported media type answers 415")
    func unsupportedMediaType() async throws {
        try await Self.withSeededGateway { gateway in
            let reply = try await Self.validate(gateway, "resourceType=Patient", contentType: "text/plain")
            #expect(reply.status == 415)
        }
    }

    @Test("an unknown resource type in a body answers 400 naming it, and in a path 404")
    func unknownResourceType() async throws {
        try await Self.withSeededGateway { gateway in
            let reply = try await gateway.request(
                .POST, "/fhir/Spaceship/$validate", headers: [("Content-Type", "application/fhir+json")],
                body: Array(#"{"resourceType":"Spaceship"}"#.utf8))
            #expect(reply.status == 404)
            let body = try await Self.validate(gateway, #"{"resourceType":"Spaceship"}"#)
            #expect(body.status == 400)
            #expect(try Self.diagnostics(body).contains("Spaceship"))
            #expect(try Self.issueCode(body) == "not-supported")
        }
    }
}
