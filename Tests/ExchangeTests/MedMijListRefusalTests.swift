import Exchange
import Foundation
import Testing

/// One way to break an example list, where the break is, and a word the refusal must contain.
struct Violation: Sendable, CustomTestStringConvertible {
    var name: String
    var kind: MedMijListKind
    var replace: String
    var with: String
    /// A string on the line the error must name (in the broken text); occurrence for duplicates.
    var lineMarker: String
    var occurrence = 1
    var messageFragment: String

    var testDescription: String { name }
}

@Suite("MedMij lists: what is refused, and why")
struct MedMijListRefusalTests {
    static let violations: [Violation] = [
        Violation(name: "bad hostname pattern (OCL)", kind: .oauthClientList, replace: "<Hostname>pgo-demo.zorgnet.test",
                  with: "<Hostname>PGO_demo.zorgnet.test", lineMarker: "PGO_demo", messageFragment: "pattern"),
        Violation(name: "missing Volgnummer (GNL)", kind: .dataServiceNameList, replace: "    <Volgnummer>1</Volgnummer>\n",
                  with: "", lineMarker: "<Gegevensdiensten>", messageFragment: "Volgnummer"),
        Violation(name: "duplicate Zorgaanbiedernaam (ZAL)", kind: .providerList, replace: "umcharderwijk@medmij",
                  with: "demoziekenhuis@medmij", lineMarker: "<Zorgaanbieder>", occurrence: 2, messageFragment: "uniqueZorgaanbiedernaam"),
        Violation(name: "wrong namespace (Whitelist)", kind: .whitelist, replace: "whitelist/release2/",
                  with: "whitelist/release3/", lineMarker: "<Whitelist", messageFragment: "No matching global declaration"),
        Violation(name: "port on a frontchannel URI (ZAL)", kind: .providerList,
                  replace: "https://demoziekenhuis.zorgnet.test/oauth/authorize</AuthorizationEndpointuri>",
                  with: "https://demoziekenhuis.zorgnet.test:443/oauth/authorize</AuthorizationEndpointuri>",
                  lineMarker: ":443/oauth/authorize", messageFragment: "pattern"),
        Violation(name: "Tijdstempel without a zone (OCL)", kind: .oauthClientList, replace: "2025-01-15T09:30:00Z",
                  with: "2025-01-15T09:30:00", lineMarker: "<Tijdstempel>", messageFragment: "Tijdstempel"),
        Violation(name: "Zorgaanbiedernaam too short (ZAL)", kind: .providerList, replace: "umcharderwijk@medmij",
                  with: "a@medmij", lineMarker: "a@medmij", messageFragment: "Zorgaanbiedernaam"),
        Violation(name: "unknown OCL status", kind: .oauthClientList, replace: "<Status>Actief</Status>",
                  with: "<Status>Misschien</Status>", lineMarker: "Misschien", messageFragment: "Status"),
        Violation(name: "bad bare Whitelist hostname (mapper)", kind: .whitelist, replace: "<MedMijNode>medmij.xisbridge.net",
                  with: "<MedMijNode>Medmij.xisbridge.net", lineMarker: "Medmij.xisbridge.net", messageFragment: "Hostname pattern"),
    ]

    @Test("each kind of schema violation is refused naming its line", arguments: violations)
    func schemaViolation(violation: Violation) throws {
        let original = try ListFixtures.text(violation.kind)
        #expect(original.contains(violation.replace), "the fixture must contain what the test breaks")
        let broken = original.replacingOccurrences(of: violation.replace, with: violation.with)
        let expectedLine = try #require(ListFixtures.line(of: violation.lineMarker, in: broken, occurrence: violation.occurrence))
        let error = #expect(throws: MedMijListError.self) {
            try ListFixtures.parser().parse(Array(broken.utf8), as: violation.kind)
        }
        guard case .invalidAgainstSchema(let issues)? = error else {
            Issue.record("expected invalidAgainstSchema, got \(String(describing: error))")
            return
        }
        #expect(issues.contains { $0.line == expectedLine && $0.message.contains(violation.messageFragment) }, "\(issues)")
    }

    @Test("every violation is reported, not only the first")
    func allIssuesCollected() throws {
        let broken = try ListFixtures.text(.oauthClientList)
            .replacingOccurrences(of: "pgo-demo.zorgnet.test", with: "bad_one.test")
            .replacingOccurrences(of: "medmij.deenigeechtepgo.nl", with: "bad_two.test")
        let error = #expect(throws: MedMijListError.self) { try ListFixtures.parser().parse(Array(broken.utf8), as: .oauthClientList) }
        guard case .invalidAgainstSchema(let issues)? = error else { Issue.record("\(String(describing: error))"); return }
        let lines = [ListFixtures.line(of: "bad_one", in: broken), ListFixtures.line(of: "bad_two", in: broken)].compactMap { $0 }
        #expect(Set(issues.compactMap(\.line)) == Set(lines))
        #expect(lines.count == 2)
    }

    @Test("DOCTYPE and entity declarations are refused before parsing", arguments: [
        ("<!DOCTYPE lol [<!ENTITY lol \"lol\">]>\n", MedMijListError.UnsafeReason.doctype),
        ("<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n", .entity),
        ("<!doctype html>\n", .doctype),
    ])
    func unsafeXML(declaration: String, reason: MedMijListError.UnsafeReason) throws {
        let text = try ListFixtures.text(.whitelist)
            .replacingOccurrences(of: "<Whitelist xmlns", with: declaration + "<Whitelist xmlns")
        #expect(throws: MedMijListError.unsafeXML(reason, line: 2)) {
            try ListFixtures.parser().parse(Array(text.utf8), as: .whitelist)
        }
    }

    @Test("a DOCTYPE inside a comment is text, not a declaration")
    func doctypeInComment() throws {
        let text = try ListFixtures.text(.whitelist).replacingOccurrences(of: "<MedMijNodes>", with: "<!-- <!DOCTYPE x> --><MedMijNodes>")
        #expect(throws: Never.self) { try ListFixtures.parser().parse(Array(text.utf8), as: .whitelist) }
    }

    @Test("UTF-16 is refused, since a byte scan cannot see through it")
    func utf16() throws {
        let bytes = Array(try ListFixtures.text(.whitelist).data(using: .utf16) ?? Data())
        #expect(throws: MedMijListError.unsafeXML(.notUTF8, line: 1)) { try ListFixtures.parser().parse(bytes, as: .whitelist) }
    }

    @Test("another list offered in a list's place is refused as the wrong list")
    func wrongList() throws {
        #expect(throws: MedMijListError.wrongList(expected: .providerList, found: .oauthClientList)) {
            try ListFixtures.parser().parse(ListFixtures.bytes(.oauthClientList), as: .providerList)
        }
    }

    @Test("malformed XML is refused with the line of the first error")
    func malformed() throws {
        let text = try ListFixtures.text(.dataServiceNameList).replacingOccurrences(of: "</Weergavenaam>", with: "</Weergave>")
        let error = #expect(throws: MedMijListError.self) { try ListFixtures.parser().parse(Array(text.utf8), as: .dataServiceNameList) }
        guard case .malformedXML(let issue)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(issue.line == 8)
    }

    @Test("a Volgnummer beyond 64 bits is refused as out of range", arguments: ["18446744073709551616", "99999999999999999999999"])
    func hugeSequenceNumber(number: String) throws {
        let text = ListFixtures.withSequenceNumber(number, in: try ListFixtures.text(.whitelist))
        #expect(throws: MedMijListError.sequenceNumberOutOfRange(number)) { try ListFixtures.parser().parse(Array(text.utf8), as: .whitelist) }
    }

    @Test("a missing schema directory stops start-up")
    func missingSchemas() {
        #expect(throws: MedMijListError.self) { try MedMijListParser(schemaDirectory: URL(fileURLWithPath: "/nonexistent")) }
    }
}
