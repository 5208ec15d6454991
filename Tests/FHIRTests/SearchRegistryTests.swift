import FHIR
import Testing

@Suite("Search parameter registry")
struct SearchRegistryTests {
    let registry = SearchParameterRegistry.stu3

    /// The resource types the gateway serves, with the parameters the BgZ and the brief require.
    static let required: [(String, [String])] = [
        ("Patient", ["identifier", "name", "family", "given", "birthdate", "gender", "general-practitioner", "active",
                     "address-city"]),
        ("Practitioner", ["identifier", "name", "family"]),
        ("PractitionerRole", ["practitioner", "organization"]),
        ("Organization", ["identifier", "name"]),
        ("Location", ["identifier", "name"]),
        ("RelatedPerson", ["patient", "identifier"]),
        ("Coverage", ["beneficiary", "payor", "type", "status", "subscriber"]),
        ("Consent", ["category", "patient", "status", "date"]),
        ("Observation", ["code", "category", "date", "subject", "patient", "status", "related-target", "specimen",
                         "value-quantity", "component-code"]),
        ("Condition", ["code", "category", "clinical-status", "verification-status", "onset-date", "subject",
                       "patient"]),
        ("NutritionOrder", ["patient", "status"]),
        ("Flag", ["patient", "subject", "date"]),
        ("AllergyIntolerance", ["patient", "code", "clinical-status"]),
        ("MedicationStatement", ["category", "code", "medication", "patient", "subject", "status", "effective"]),
        ("MedicationRequest", ["category", "code", "medication", "patient", "subject", "status", "authoredon"]),
        ("MedicationDispense", ["category", "code", "medication", "patient", "subject", "status", "whenhandedover"]),
        ("Medication", ["code"]),
        ("DeviceUseStatement", ["device", "patient", "subject"]),
        ("Device", ["type", "patient"]),
        ("Immunization", ["status", "date", "patient", "vaccine-code"]),
        ("Procedure", ["category", "code", "date", "patient", "subject"]),
        ("Encounter", ["class", "date", "patient", "subject", "status", "type"]),
        ("ProcedureRequest", ["status", "patient"]),
        ("ImmunizationRecommendation", ["patient", "date"]),
        ("Appointment", ["status", "date", "patient", "actor"]),
        ("DeviceRequest", ["status", "device", "patient", "subject"]),
        ("Specimen", ["patient", "subject", "type"]),
        ("DocumentReference", ["status", "indexed", "type", "patient", "subject"]),
        ("AuditEvent", ["date", "agent", "entity", "type", "outcome", "patient"]),
    ]

    @Test("required parameters exist per resource type", arguments: required)
    func requiredParameters(resourceType: String, names: [String]) {
        let offered = Set(registry.parameters(for: resourceType).map(\.name))
        for name in names + ["_id", "_lastUpdated", "_profile"] {
            #expect(offered.contains(name), "\(resourceType) lacks \(name)")
        }
    }

    @Test("every resource type has the common parameters first; unknown types get only those")
    func commonParameters() {
        for type in registry.resourceTypes where type != "Binary" {
            #expect(Array(registry.parameters(for: type).prefix(3).map(\.name)) == ["_id", "_lastUpdated", "_profile"])
        }
        #expect(registry.parameters(for: "Questionnaire").map(\.name) == ["_id", "_lastUpdated", "_profile", "_tag", "_security"])
        #expect(registry.parameters(for: "Binary").map(\.name) == ["_id", "_lastUpdated"])
        #expect(registry.parameter("_lastUpdated", on: "Binary")?.type == .date)
    }

    @Test("patient parameters are references to Patient only")
    func patientParameters() {
        for type in registry.resourceTypes {
            guard let patient = registry.parameter("patient", on: type) else { continue }
            #expect(patient.type == .reference)
            #expect(patient.targets == ["Patient"], "\(type).patient")
        }
        #expect(registry.parameter("patient", on: "Observation")?.paths == ["subject"])
        #expect(registry.parameter("patient", on: "Appointment")?.paths == ["participant.actor"])
        #expect(registry.parameter("beneficiary", on: "Coverage")?.targets == ["Patient"])
    }

    @Test("definitions are well formed: unique names, paths without stray brackets, types of their kind")
    func wellFormed() {
        for type in registry.resourceTypes {
            let parameters = registry.parameters(for: type)
            #expect(Set(parameters.map(\.name)).count == parameters.count, "\(type) has a duplicate name")
            for parameter in parameters {
                #expect(!parameter.paths.isEmpty)
                for path in parameter.paths {
                    for segment in path.segments {
                        #expect(!segment.name.isEmpty && !segment.name.contains("[") && !segment.name.contains("]"),
                                "\(type).\(parameter.name): \(path)")
                    }
                }
                if parameter.type != .reference { #expect(parameter.targets.isEmpty) }
                for target in parameter.targets { #expect(FHIRResource.isWellFormedTypeName(target)) }
            }
        }
    }

    @Test("the BgZ includes are all offered and all name reference parameters")
    func includes() {
        let expected = [
            "Patient:general-practitioner", "Coverage:payor:Patient", "Coverage:payor:Organization",
            "Observation:related-target", "Observation:specimen", "MedicationStatement:medication",
            "MedicationRequest:medication", "MedicationDispense:medication", "DeviceUseStatement:device",
            "DeviceRequest:device",
        ]
        let offered = registry.resourceTypes.flatMap { registry.includes(for: $0).map(\.description) }
        #expect(Set(offered) == Set(expected))
        for type in registry.resourceTypes {
            for include in registry.includes(for: type) {
                #expect(registry.parameter(include.parameter, on: type)?.type == .reference)
            }
        }
    }

    @Test("includes on parameters that are not references are dropped from a custom registry")
    func customRegistryDropsBadIncludes() {
        let custom = SearchParameterRegistry(
            parametersByType: ["Observation": [
                SearchParameterDefinition(name: "code", type: .token, paths: ["code"]),
                SearchParameterDefinition(name: "subject", type: .reference, paths: ["subject"], targets: ["Patient"]),
            ]],
            defaultParameters: [],
            includes: [
                IncludeDefinition(sourceType: "Observation", parameter: "code"),
                IncludeDefinition(sourceType: "Observation", parameter: "subject", targetType: "Group"),
                IncludeDefinition(sourceType: "Observation", parameter: "subject"),
            ])
        #expect(custom.includes(for: "Observation").map(\.description) == ["Observation:subject"])
    }

    @Test("element paths parse choices and filters and print back")
    func elementPaths() {
        let choice = ElementPath("collection.collected[x]")
        #expect(choice.segments.map(\.name) == ["collection", "collected"])
        #expect(choice.segments.map(\.isChoice) == [false, true])
        let filtered = ElementPath("telecom[system=phone]")
        #expect(filtered.segments[0].filter == ElementPath.Segment.Filter(key: "system", value: "phone"))
        for text in ["collection.collected[x]", "telecom[system=phone]", "name.given"] {
            #expect(ElementPath(text).description == text)
        }
    }
}

@Suite("Search text normalization")
struct SearchTextTests {
    @Test(
        "text is lower-cased, stripped of diacritics and whitespace-collapsed",
        arguments: [
            ("Müller", "muller"),
            ("  van  der\tBerg \n", "van der berg"),
            ("Ĳsselstein", "ijsselstein"),
            ("ĳs", "ijs"),
            ("Ærø", "aero"),
            ("Søren Łukasz", "soren lukasz"),
            ("Straße", "strasse"),
            ("e\u{301}e\u{308}", "ee"),
            ("Çelik-Öztürk", "celik-ozturk"),
            ("Nguyễn", "nguyen"),
            ("ΑΒΓ", "αβγ"),
            ("a\u{00A0}b", "a b"),
            ("", ""),
            ("   ", ""),
        ])
    func normalize(input: String, expected: String) {
        #expect(SearchText.normalize(input) == expected)
    }

    @Test("normalization is idempotent")
    func idempotent() {
        for text in ["Müller", "Ĳssel Ærø", "e\u{301}", "Straße van DER"] {
            let once = SearchText.normalize(text)
            #expect(SearchText.normalize(once) == once)
        }
    }
}
