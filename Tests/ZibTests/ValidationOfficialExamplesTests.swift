import FHIR
import Foundation
import Testing
import Zib

/// The validator, fed every official StructureDefinition, must accept the official examples: they
/// are Nictiz's own statement of what conforms. The few it refuses are listed with the reason.
@Suite("Official Nictiz profiles and examples",
       .enabled(if: ValidationFixtures.hasOfficialPackage, "needs ../shared/nictiz/stu3-zib2017 (or $ZORGNET_SHARED_DIR)"))
struct ValidationOfficialExamplesTests {
    /// Examples the validator refuses, with the locations refused, and why that is right or accepted.
    static let expectedRejections: [String: (locations: [String], reason: String)] = [
        "zib-Problem-03.xml": (
            ["Condition"],
            "con-4: the problem has abatementDateTime 2002 but clinicalStatus active; STU3 allows an abated condition "
                + "only as inactive, resolved or remission, so the example breaks the core invariant"),
    ]

    @Test("every official StructureDefinition compiles")
    func everythingCompiles() throws {
        let validator = try #require(ValidationFixtures.officialValidator).get()
        #expect(validator.definitions.count >= 200)
        for url in ProjectProfiles.emitted {
            #expect(validator.supports(profile: url), "\(url) missing from the official package")
        }
    }

    @Test("each official example passes the profiles it claims, or is a listed, reasoned rejection",
          arguments: ValidationFixtures.exampleFiles)
    func example(file: String) throws {
        let validator = try #require(ValidationFixtures.officialValidator).get()
        let resource = try ValidationFixtures.example(file)
        let errors = validator.validate(resource).filter { $0.severity == .error }
        let expected = Self.expectedRejections[file]?.locations ?? []
        #expect(errors.map(\.location).sorted() == expected.sorted(),
                "\(file): \(errors.map(\.description).joined(separator: "\n"))")
    }
}
