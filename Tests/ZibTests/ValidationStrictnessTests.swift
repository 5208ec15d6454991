import FHIR
import Foundation
import Testing
import Zib

/// Negative cases made from official Nictiz examples: each breaks one rule of an example the
/// validator accepts, and must come back as exactly that one error, at its location, with its rule
/// and issue code.
@Suite("The validator refuses exactly what an official example is made to break",
       .enabled(if: ValidationFixtures.hasOfficialPackage, "needs ../shared/nictiz/stu3-zib2017 (or $ZORGNET_SHARED_DIR)"))
struct ValidationStrictnessTests {
    struct Breach: Sendable, CustomTestStringConvertible {
        let name: String
        let example: String
        let change: @Sendable (inout FHIRResource) -> Void
        let location: String
        /// The start of the expected rule text (the invariant key, or the rule and its profile).
        let rule: String
        let code: OperationOutcome.IssueType

        var testDescription: String { name }
    }

    static let bodyWeight = "zib-BodyWeight-01.xml"
    static let bloodPressure = "zib-BloodPressure-01.xml"

    static let breaches: [Breach] = [
        Breach(name: "an unknown element at the root", example: bodyWeight, change: { $0["bodyMassIndex"] = "23" },
               location: "Observation.bodyMassIndex", rule: "unknown element", code: .structure),
        Breach(name: "an unknown element inside a backbone element", example: bloodPressure,
               change: { resource in resource["component"] = edit(resource["component"], at: 0) { $0["cuffSize"] = "adult" } },
               location: "Observation.component[0].cuffSize", rule: "unknown element", code: .structure),
        Breach(name: "an unknown element inside a data type", example: bodyWeight,
               change: { resource in resource["valueQuantity"] = edit(resource["valueQuantity"]) { $0["precision"] = 2 } },
               location: "Observation.valueQuantity.precision", rule: "unknown element", code: .structure),
        Breach(name: "a code outside a required binding", example: bodyWeight, change: { $0["status"] = "done" },
               location: "Observation.status", rule: "required binding http://hl7.org/fhir/ValueSet/observation-status",
               code: .codeInvalid),
        Breach(name: "a required element missing", example: bodyWeight, change: { $0["subject"] = nil },
               location: "Observation.subject", rule: "min 1 on Observation.subject (zib-BodyWeight)", code: .required),
        Breach(name: "a non-repeating element repeated", example: bodyWeight,
               change: { $0["effectiveDateTime"] = ["2013-02-03", "2013-02-04"] },
               location: "Observation.effectiveDateTime", rule: "max 1 on Observation.effectiveDateTime", code: .structure),
        Breach(name: "obs-6: a value and a dataAbsentReason", example: bodyWeight,
               change: { $0["dataAbsentReason"] = ["text": "gemeten maar niet genoteerd"] },
               location: "Observation", rule: "obs-6", code: .invariant),
        Breach(name: "obs-7: a value and a component with the Observation's own code", example: bodyWeight,
               change: { resource in
                   var components = resource["component"]?.arrayValue ?? []
                   components.append([
                       "code": ["coding": [["system": "http://loinc.org", "code": "29463-7"]]],
                       "valueQuantity": ["value": 72, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"],
                   ])
                   resource["component"] = .array(components)
               },
               location: "Observation", rule: "obs-7", code: .invariant),
        Breach(name: "con-4: an abated problem that is still active", example: "zib-Problem-01.xml",
               change: { $0["abatementDateTime"] = "2020-05-01" }, location: "Condition", rule: "con-4", code: .invariant),
        Breach(name: "ext-1: an extension with both a value and extensions", example: "nl-core-patient-01.xml",
               change: { resource in
                   var extensions = resource["extension"]?.arrayValue ?? []
                   extensions.append([
                       "url": "http://example.org/fhir/StructureDefinition/hobby", "valueString": "zeilen",
                       "extension": [["url": "since", "valueString": "1990"]],
                   ])
                   resource["extension"] = .array(extensions)
               },
               location: "Patient.extension[\(officialExtensionCount("nl-core-patient-01.xml"))]", rule: "ext-1", code: .invariant),
        Breach(name: "ele-1: an element without a value", example: bodyWeight, change: { $0["comment"] = "" },
               location: "Observation.comment", rule: "ele-1", code: .invariant),
        Breach(name: "dom-3: a contained resource nothing refers to", example: bodyWeight,
               change: { $0["contained"] = [["resourceType": "Device", "id": "weegschaal", "model": "W-100"]] },
               location: "Observation.contained[0]", rule: "dom-3", code: .invariant),
        Breach(name: "ref-1: a local reference without its contained resource", example: bodyWeight,
               change: { $0["subject"] = ["reference": "#patient"] },
               location: "Observation.subject.reference", rule: "ref-1", code: .invariant),
        Breach(name: "a modifierExtension no claimed profile defines", example: bodyWeight,
               change: {
                   $0["modifierExtension"] = [["url": "http://example.org/fhir/StructureDefinition/not-measured", "valueBoolean": true]]
               },
               location: "Observation.modifierExtension[0]", rule: "modifierExtension not understood", code: .extension),
        Breach(name: "a reference to a type the profile does not allow", example: bodyWeight,
               change: { $0["subject"] = ["reference": "Practitioner/nl-core-practitioner-02"] },
               location: "Observation.subject.reference", rule: "target types Patient on Observation.subject (zib-BodyWeight)",
               code: .structure),
        Breach(name: "a claimed profile the validator does not know", example: bodyWeight,
               change: { resource in
                   resource["meta"] = ["profile": [
                       "http://nictiz.nl/fhir/StructureDefinition/zib-BodyWeight", "http://example.org/fhir/StructureDefinition/weight",
                   ]]
               },
               location: "Observation.meta.profile[1]", rule: "unknown profile", code: .notSupported),
    ]

    static func validator() throws -> ProfileValidator {
        try ProfileValidator.loadProjectProfiles(from: ValidationFixtures.profilesDirectory.path)
    }

    /// How many extensions an example has, so a test can name the index of one it appends.
    static func officialExtensionCount(_ file: String) -> Int {
        ((try? ValidationFixtures.example(file))?["extension"]?.arrayValue ?? []).count
    }

    /// Changes one object: the value itself, or the element at `index` of an array.
    static func edit(_ value: FHIRValue?, at index: Int? = nil, _ change: (inout FHIRObject) -> Void) -> FHIRValue? {
        guard let index else {
            var object = value?.objectValue ?? FHIRObject()
            change(&object)
            return .object(object)
        }
        guard var array = value?.arrayValue, index < array.count, var object = array[index].objectValue else { return value }
        change(&object)
        array[index] = .object(object)
        return .array(array)
    }

    @Test("the unchanged examples the breaches start from pass", arguments: [bodyWeight, bloodPressure, "zib-Problem-01.xml",
                                                                            "nl-core-patient-01.xml"])
    func startingPointsPass(_ file: String) throws {
        #expect(try Self.validator().validate(ValidationFixtures.example(file)).map(\.description) == [])
    }

    @Test("one breach gives exactly one error, at its location, naming its rule", arguments: breaches)
    func breach(_ breach: Breach) throws {
        var resource = try ValidationFixtures.example(breach.example)
        breach.change(&resource)
        let issues = try Self.validator().validate(resource)
        #expect(issues.count == 1, "\(issues.map(\.description))")
        let issue = try #require(issues.first)
        #expect(issue.severity == .error)
        #expect(issue.location == breach.location)
        #expect(issue.rule.hasPrefix(breach.rule), "\(issue.rule)")
        #expect(issue.code == breach.code)
    }

    @Test("an invariant's issue carries its key and the specification's human text")
    func invariantText() throws {
        var resource = try ValidationFixtures.example(Self.bodyWeight)
        resource["dataAbsentReason"] = ["text": "niet gemeten"]
        let issue = try #require(try Self.validator().validate(resource).first)
        #expect(issue.rule == "obs-6")
        #expect(issue.message.hasPrefix(CoreInvariant.obs6.human))
    }

    @Test("an unknown element in XML is refused at the same location as in JSON")
    func unknownElementInXML() throws {
        let directory = try #require(ValidationFixtures.officialPackage).appendingPathComponent("Examples")
        let xml = try String(contentsOf: directory.appendingPathComponent(Self.bodyWeight), encoding: .utf8)
            .replacingOccurrences(of: "<effectiveDateTime value=\"2013-02-03\"/>",
                                  with: "<effectiveDateTime value=\"2013-02-03\"/><measuredBy value=\"self\"/>")
        let issues = try Self.validator().validate(FHIRXML.parseResource(Array(xml.utf8)))
        #expect(issues.map(\.location) == ["Observation.measuredBy"])
    }

    @Test("a modifierExtension the claimed profile defines is understood; without the claim it is refused")
    func modifierExtensionNeedsItsProfile() throws {
        let validator = try Self.validator()
        var directive = try ValidationFixtures.example("zib-TreatmentDirective-01.xml")
        #expect(validator.validate(directive).isEmpty)
        directive["meta"] = nil
        let issues = validator.validate(directive)
        #expect(issues.map(\.location) == ["Consent.modifierExtension[0]"])
        #expect(issues.map(\.code) == [.extension])
    }

    @Test("a reference's target type is read from relative, absolute, versioned and contained references")
    func referenceForms() throws {
        let validator = try Self.validator()
        for reference in ["https://zorgnet.example/fhir/Practitioner/7", "Practitioner/7/_history/2"] {
            var resource = try ValidationFixtures.example(Self.bodyWeight)
            resource["subject"] = ["reference": .string(reference)]
            #expect(validator.validate(resource).map(\.location) == ["Observation.subject.reference"], "\(reference)")
        }
        var contained = try ValidationFixtures.example(Self.bodyWeight)
        contained["contained"] = [["resourceType": "Device", "id": "d1", "model": "W-100"]]
        contained["subject"] = ["reference": "#d1"]
        #expect(validator.validate(contained).map(\.rule).first?.hasPrefix("target types Patient") == true)
        var identifierOnly = try ValidationFixtures.example(Self.bodyWeight)
        identifierOnly["subject"] = ["identifier": ["system": "http://example.org/fhir/NamingSystem/patients", "value": "p-1"]]
        #expect(validator.validate(identifierOnly).isEmpty)
    }
}
