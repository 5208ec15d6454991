import FHIR
import Foundation
import Testing

@testable import Consent

@Suite("Data categories known from the resource type alone")
struct TypeCategoryTests {
    @Test("agrees with the resource's own categories wherever the type settles them", arguments: DataCategoryTests.cases)
    func agreesWithResource(name: String, resource: FHIRResource, expected: Set<DataCategory>) {
        if let byType = DataCategory.of(resourceType: resource.resourceType) {
            #expect(byType == DataCategory.of(resource: resource), "\(name)")
        } else {
            #expect(["Observation", "Consent"].contains(resource.resourceType), "\(name)")
        }
    }

    @Test("every category set a resource can have is among the possible sets of its type", arguments: DataCategoryTests.cases)
    func possibleSetsCoverResources(name: String, resource: FHIRResource, expected: Set<DataCategory>) {
        #expect(DataCategory.possibleSets(resourceType: resource.resourceType).contains(DataCategory.of(resource: resource)), "\(name)")
    }

    @Test("content-dependent types list every combination, fixed types exactly one set")
    func possibleSetShapes() {
        #expect(DataCategory.possibleSets(resourceType: "Observation").count == 32)
        #expect(Set(DataCategory.possibleSets(resourceType: "Consent")) == [[], [.directives]])
        #expect(DataCategory.possibleSets(resourceType: "Condition") == [[.problems]])
        #expect(DataCategory.possibleSets(resourceType: "Basic") == [[]])
    }

    @Test("recognises the gateway's access consents and nothing else")
    func accessConsentRecognised() throws {
        #expect(ConsentRecord.isAccessConsent(try Fixture.record("c1", Provision(.permit)).fhirConsent()))
        let directive = Fixture.resource([
            "resourceType": "Consent", "id": "t1", "category": [Fixture.coding("http://snomed.info/sct", "11291000146105")],
        ])
        #expect(!ConsentRecord.isAccessConsent(directive))
        #expect(!ConsentRecord.isAccessConsent(Fixture.resource(["resourceType": "Basic", "id": "b1"])))
    }
}
