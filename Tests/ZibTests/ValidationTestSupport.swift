import FHIR
import Foundation
import Testing
import Zib

/// Where the validation tests find their inputs: the project's `Profiles/` (from this file up to
/// the package root) and the official Nictiz package (`$ZORGNET_SHARED_DIR/nictiz/stu3-zib2017`,
/// else `../shared/nictiz/stu3-zib2017` beside the package root). Dev packages symlink test files,
/// so the real location is used.
enum ValidationFixtures {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let profilesDirectory = packageRoot.appendingPathComponent("Profiles")

    static let officialPackage: URL? = {
        let shared = ProcessInfo.processInfo.environment["ZORGNET_SHARED_DIR"].map { URL(fileURLWithPath: $0) }
            ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        let package = shared.appendingPathComponent("nictiz/stu3-zib2017")
        return FileManager.default.fileExists(atPath: package.appendingPathComponent("Profiles").path) ? package : nil
    }()

    static var hasOfficialPackage: Bool { officialPackage != nil }

    static let exampleFiles: [String] = {
        guard let directory = officialPackage?.appendingPathComponent("Examples"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".xml") }.sorted()
    }()

    /// The official package, parsed once for all tests.
    static let official: Result<OfficialPackage, any Error>? = officialPackage.map { url in
        Result { try OfficialPackage(directory: url.path) }
    }

    /// Every official StructureDefinition compiled, once, with the FHIR core definitions the project
    /// claims itself (Questionnaire, QuestionnaireResponse: not Nictiz's to define).
    static let officialValidator: Result<ProfileValidator, any Error>? = official.map { package in
        Result {
            let official = try package.get()
            return ProfileValidator(profiles: try official.compileAll() + official.compile(closureOf: ProjectProfiles.core))
        }
    }

    static func example(_ name: String) throws -> FHIRResource {
        let directory = try #require(officialPackage).appendingPathComponent("Examples")
        return try FHIRXML.parseResource(Array(try Data(contentsOf: directory.appendingPathComponent(name))))
    }

    static func resource(_ json: String) throws -> FHIRResource {
        try FHIRJSON.parseResource(Array(json.utf8))
    }
}
