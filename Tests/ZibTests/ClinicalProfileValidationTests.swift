import FHIR
import Testing

@testable import Zib

/// Every administrative and clinical resource against the official Nictiz zib2017 profiles it claims,
/// with the project's profile validator. Skipped when the official package is not beside the repo.
@Suite("Administrative and clinical resources against the official profiles", .enabled(if: ValidationFixtures.hasOfficialPackage))
struct ClinicalProfileValidationTests {
    @Test("no rendered resource breaks a rule of its zib2017 profile")
    func officialProfiles() throws {
        let validator = try #require(ValidationFixtures.officialValidator).get()
        let fixture = try ZibFixture.rendered()
        for resource in fixture.ownResources {
            let errors = validator.validate(resource).filter { $0.severity == .error }
            #expect(errors.map(\.description) == [], "\(resource.resourceType)/\(resource.id ?? "")")
        }
    }

    @Test("the validator does engage: a problem without its required code is refused")
    func validatorEngages() throws {
        let validator = try #require(ValidationFixtures.officialValidator).get()
        var condition = try #require(try ZibFixture.rendered().resource("Condition", "pzc-berg-p-astma"))
        condition["code"] = nil
        #expect(validator.validate(condition).contains { $0.severity == .error && $0.location.hasPrefix("Condition.code") })
    }
}
