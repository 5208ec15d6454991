import Foundation
import Testing

@testable import Zib

@Suite("PZC export format")
struct PZCFormatTests {
    static let minimal = """
        {"format": "zorgnet-pzc/1",
         "pzc": {"id": "pzc-test", "title": "Test", "createdAt": "2026-01-01T10:00:00+01:00"},
         "patient": {"name": {"family": "Dekker", "given": ["Jan"]}, "birthDate": "1950-02-01", "gender": "male"}}
        """

    @Test("a minimal export reads with every section empty")
    func minimalExport() throws {
        let export = try PZCExport.decode(from: Data(Self.minimal.utf8))
        #expect(export.patient.name.family == "Dekker")
        #expect(export.members.isEmpty)
        #expect(export.dossier.problems.isEmpty)
    }

    @Test("another format version is refused by name")
    func otherFormat() {
        let text = Self.minimal.replacingOccurrences(of: "zorgnet-pzc/1", with: "zorgnet-pzc/9")
        #expect(throws: PZCFormatError.unsupportedFormat("zorgnet-pzc/9")) { try PZCExport.decode(from: Data(text.utf8)) }
    }

    @Test("a missing field is named with its path")
    func missingField() {
        let text = Self.minimal.replacingOccurrences(of: #""gender": "male""#, with: #""sex": "male""#)
        #expect(throws: PZCFormatError.invalid("patient: missing 'gender'")) { try PZCExport.decode(from: Data(text.utf8)) }
    }

    @Test("unknown keys are refused, each named by its path", arguments: [
        (#""gender": "male""#, #""gender": "male", "sex": "male""#, ["patient.sex"]),
        (#""title": "Test""#, #""title": "Test", "managedby": "x""#, ["pzc.managedby"]),
        (#""birthDate": "1950-02-01""#, #""birthDate": "1950-02-01", "contactPersons": [{"member": "m", "relationship": "wife", "rol": "x"}]"#,
         ["patient.contactPersons[0].rol"]),
    ])
    func unknownKeys(_ original: String, _ replacement: String, _ paths: [String]) {
        let text = Self.minimal.replacingOccurrences(of: original, with: replacement)
        #expect(throws: PZCFormatError.unknownKeys(paths)) { try PZCExport.decode(from: Data(text.utf8)) }
    }

    @Test("a misspelt key deep in the dossier is refused with its path, not silently lost")
    func misspeltDossierKey() {
        let problems = (0..<3).map { index in
            #"{"id": "p\#(index)", "author": "patient", "createdAt": "2026-01-01T10:00:00+01:00", "text": "Klacht", "type": "complaint", "status": "active""#
                + (index == 2 ? #", "onsett": "2025""# : "") + "}"
        }
        let text = Self.minimal.dropLast() + #", "dossier": {"problems": [\#(problems.joined(separator: ", "))]}}"#
        #expect(throws: PZCFormatError.unknownKeys(["dossier.problems[2].onsett"])) { try PZCExport.decode(from: Data(text.utf8)) }
        #expect(PZCFormatError.unknownKeys(["dossier.problems[2].onsett"]).description
            == "invalid PZC export: dossier.problems[2].onsett: unknown key")
    }

    @Test("null is refused: the format leaves an empty optional out")
    func nullValue() {
        let text = Self.minimal.replacingOccurrences(of: #""gender": "male""#, with: #""gender": "male", "bsn": null"#)
        #expect(throws: PZCFormatError.nullValues(["patient.bsn"])) { try PZCExport.decode(from: Data(text.utf8)) }
    }

    @Test("every demo export reads strictly", arguments: DemoPZCValidationTests.files)
    func demoExportsAreStrict(_ file: String) throws {
        _ = try PZCExport.decode(from: Data(contentsOf: DemoPZCValidationTests.pzcDirectory.appendingPathComponent(file)))
    }

    @Test("the example in the format's README reads strictly and maps without problems")
    func readmeExample() throws {
        let readme = try String(contentsOf: DemoPZCValidationTests.pzcDirectory.appendingPathComponent("README.md"), encoding: .utf8)
        let json = try #require(readme.components(separatedBy: "```json\n").dropFirst().first?.components(separatedBy: "```").first)
        let export = try PZCExport.decode(from: Data(json.utf8))
        #expect(PZCMapper.map(export).unmapped.isEmpty)
    }

    @Test("resource ids are stable, FHIR-valid and at most 64 characters", arguments: [
        ("problem-1", nil, "pzc-test-problem-1"),
        ("ms 1/ü", "medication", "pzc-test-ms-1---medication"),
    ] as [(String, String?, String)])
    func resourceIDs(_ entry: String, _ role: String?, _ expected: String) {
        #expect(ResourceIdentity(pzcID: "pzc-test").id(for: entry, role: role) == expected)
    }

    @Test("overlong ids are shortened with a hash that keeps them apart")
    func longIDs() {
        let ids = ResourceIdentity(pzcID: "pzc-test")
        let a = ids.id(for: String(repeating: "a", count: 80) + "1")
        let b = ids.id(for: String(repeating: "a", count: 80) + "2")
        #expect(a.count <= 64)
        #expect(a != b)
    }

    @Test("displays follow the name usage", arguments: [
        (PersonName(given: ["Truus"], family: "Visser", partnerFamily: "Boer", usage: "partner-own"), "Truus Boer-Visser"),
        (PersonName(given: ["Thomas"], prefix: "van der", family: "Berg"), "Thomas van der Berg"),
        (PersonName(initials: "J.", family: "Dekker"), "J. Dekker"),
    ])
    func nameDisplay(_ name: PersonName, _ expected: String) {
        #expect(PersonNameFormatter.display(name) == expected)
    }
}

@Suite("Rendering whole exports")
struct RenderingCollisionTests {
    @Test("two entries whose ids clean to the same resource id are reported, not silently merged")
    func collidingIDs() throws {
        let text = """
            {"format": "zorgnet-pzc/1",
             "pzc": {"id": "pzc-test", "title": "Test", "createdAt": "2026-01-01T10:00:00+01:00"},
             "patient": {"name": {"family": "Dekker", "given": ["Jan"]}, "birthDate": "1950-02-01", "gender": "male"},
             "diary": [
               {"id": "x 1", "author": "patient", "createdAt": "2026-01-02T10:00:00+01:00", "title": "Een", "text": "eerste"},
               {"id": "x-1", "author": "patient", "createdAt": "2026-01-03T10:00:00+01:00", "title": "Twee", "text": "tweede"}
             ]}
            """
        let export = try PZCExport.decode(from: Data(text.utf8))
        let output = STU3Renderer.render(PZCMapper.map(export), context: STU3RenderContext(export: export))
        #expect(output.unmapped.contains { $0.entryID == "x-1" && $0.reason.contains("already used by entry 'x 1'") })
        #expect(output.resources.filter { $0.resourceType == "DocumentReference" }.count == 1)
    }
}
