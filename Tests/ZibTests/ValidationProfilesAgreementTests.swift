import FHIR
import Foundation
import Testing
import Zib

/// The project's `Profiles/*.json` are derived data: what the official StructureDefinitions of the
/// profiles the gateway emits compile to. These tests keep them so, and (on request) regenerate them.
@Suite("Profiles/ agree with the official StructureDefinitions",
       .enabled(if: ValidationFixtures.hasOfficialPackage, "needs ../shared/nictiz/stu3-zib2017 (or $ZORGNET_SHARED_DIR)"))
struct ValidationProfilesAgreementTests {
    static func compiledFromOfficial() throws -> [ProfileDefinition] {
        try #require(ValidationFixtures.official).get().compile(closureOf: ProjectProfiles.emitted)
    }

    static func fileName(of definition: ProfileDefinition) -> String { "\(definition.name).json" }

    static func fileContents(of definition: ProfileDefinition) -> Data {
        Data(FHIRJSON.serialize(definition.jsonValue, pretty: true) + Array("\n".utf8))
    }

    @Test("regenerating the definitions from the official package gives exactly the committed files")
    func committedDefinitionsAreCurrent() throws {
        let expected = try Self.compiledFromOfficial()
        let committed = try ProfileValidator.loadProjectProfiles(from: ValidationFixtures.profilesDirectory.path)
        #expect(committed.definitions.map(\.url) == expected.map(\.url).sorted())
        for definition in expected {
            let file = ValidationFixtures.profilesDirectory.appendingPathComponent(Self.fileName(of: definition))
            let bytes = try Data(contentsOf: file)
            #expect(bytes == Self.fileContents(of: definition), "\(file.lastPathComponent) is stale: regenerate it")
        }
    }

    @Test("every emitted profile is in Profiles/ under a name of its own")
    func everyEmittedProfileIsDefined() throws {
        let definitions = try Self.compiledFromOfficial()
        #expect(Set(definitions.map(Self.fileName)).count == definitions.count, "two profiles share a file name")
        let urls = Set(definitions.map(\.url))
        for url in ProjectProfiles.emitted { #expect(urls.contains(url), "\(url) not compiled") }
    }

    /// Writes Profiles/*.json; run with `ZORGNET_REGENERATE_PROFILES=1 swift test --filter regenerate`.
    @Test("regenerate Profiles/*.json from the official package",
          .enabled(if: ProcessInfo.processInfo.environment["ZORGNET_REGENERATE_PROFILES"] == "1",
                   "set ZORGNET_REGENERATE_PROFILES=1 to rewrite Profiles/"))
    func regenerate() throws {
        let directory = ValidationFixtures.profilesDirectory
        let manager = FileManager.default
        for name in try manager.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".json") {
            try manager.removeItem(at: directory.appendingPathComponent(name))
        }
        for definition in try Self.compiledFromOfficial() {
            try Self.fileContents(of: definition).write(to: directory.appendingPathComponent(Self.fileName(of: definition)))
        }
    }
}
