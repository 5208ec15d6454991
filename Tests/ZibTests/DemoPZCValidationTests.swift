import FHIR
import Foundation
import Testing

@testable import Zib

/// The mapped output of every demo PZC in `Fixtures/pzc/` is checked against the project's own
/// `Profiles/` and against the official Nictiz zib2017 StructureDefinitions.
@Suite("Demo PZCs map to valid zib2017 resources")
struct DemoPZCValidationTests {
    static let pzcDirectory = ValidationFixtures.packageRoot.appendingPathComponent("Fixtures/pzc")

    static let files: [String] = (try? FileManager.default.contentsOfDirectory(atPath: pzcDirectory.path))?
        .filter { $0.hasSuffix(".json") }.sorted() ?? []

    static func render(_ file: String) throws -> (PZCExport, STU3Renderer.Output) {
        let export = try PZCExport.decode(from: Data(contentsOf: pzcDirectory.appendingPathComponent(file)))
        return (export, STU3Renderer.render(PZCMapper.map(export), context: STU3RenderContext(export: export)))
    }

    static func errors(_ validator: ProfileValidator, _ resources: [FHIRResource]) -> [String] {
        resources.flatMap { resource in
            validator.validate(resource).filter { $0.severity == .error }.map { "\(resource.resourceType)/\(resource.id ?? "?"): \($0)" }
        }
    }

    @Test("there are at least five demo PZCs")
    func fiveDemos() {
        #expect(Self.files.count >= 5)
    }

    @Test("every demo PZC maps, and what it maps validates against the project's Profiles/", arguments: files)
    func projectProfiles(_ file: String) throws {
        let (_, output) = try Self.render(file)
        #expect(output.resources.count > 20)
        let validator = try ProfileValidator.loadProjectProfiles(from: ValidationFixtures.profilesDirectory.path)
        let unprofiled = output.resources.filter { $0.profiles.isEmpty && $0.resourceType != "Binary" }
        #expect(unprofiled.isEmpty, "resources without meta.profile: \(unprofiled.map(\.resourceType))")
        let errors = Self.errors(validator, output.resources)
        #expect(errors.isEmpty, "\(errors.count) errors:\n\(errors.prefix(20).joined(separator: "\n"))")
    }

    @Test("every demo PZC's mapped output validates against the official Nictiz profiles",
          .enabled(if: ValidationFixtures.hasOfficialPackage, "needs ../shared/nictiz/stu3-zib2017"), arguments: files)
    func officialProfiles(_ file: String) throws {
        let validator = try #require(ValidationFixtures.officialValidator).get()
        let (_, output) = try Self.render(file)
        let errors = Self.errors(validator, output.resources)
        #expect(errors.isEmpty, "\(errors.count) errors:\n\(errors.prefix(20).joined(separator: "\n"))")
    }

    @Test("every resource a demo PZC becomes passes the MedMij qualification lint", arguments: files)
    func qualificationLint(_ file: String) throws {
        let (_, output) = try Self.render(file)
        #expect(output.resources.count > 20)
        let problems = output.resources.flatMap { resource in
            QualificationLint.problems(in: resource).map { "\(resource.resourceType)/\(resource.id ?? "?"): \($0)" }
        }
        #expect(problems == [], "\(problems.count) problems:\n\(problems.prefix(20).joined(separator: "\n"))")
    }

    /// What each demo PZC is expected to report as not (fully) mapped: only the payer's policy start
    /// without an end, which zib-Payer in STU3 cannot show (see Fixtures/pzc/README.md). The export
    /// without a payer reports nothing.
    static let expectedUnmapped: [String: [String]] = {
        let payer = "patient.payer payer: policy start without end: zib-Payer requires period.end; period left out"
        return [
            "astma-kind.json": [payer], "diabetes.json": [payer], "fertiliteit.json": [],
            "parkinson.json": [payer], "wilsverklaring.json": [payer],
        ]
    }()

    @Test("a demo PZC reports exactly the expected unmapped entries, each with its entry and reason", arguments: files)
    func unmappedExactly(_ file: String) throws {
        let (_, output) = try Self.render(file)
        let expected = try #require(Self.expectedUnmapped[file], "no expected unmapped list for \(file)")
        #expect(output.unmapped.map(\.description) == expected)
    }
}
