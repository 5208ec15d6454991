import FHIR

extension Probleem: STU3Rendering {
    public static let stu3Profile = "http://nictiz.nl/fhir/StructureDefinition/zib-Problem"

    /// One zib-Problem Condition; the zib status and verification codes travel in code-specification
    /// extensions next to the FHIR-required codes.
    ///
    /// ```swift
    /// let condition = try problem.renderSTU3(in: context)[0]
    /// condition["clinicalStatus"]   // "active", with _clinicalStatus carrying SNOMED 55561003
    /// ```
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        // STU3 allows an abatement only on a problem that is no longer active (con-4).
        let abatement = status == .active ? nil : resolved
        let code: FHIRValue = switch name {
        case .coded(let coded, let text): ["coding": [STU3.coding(coded)], "text": .string(text ?? coded.display)]
        case .text(let text): ["text": .string(text)]
        }
        let condition = try STU3.resource(
            "Condition", id: context.ids.id(for: source.entryID), profile: Self.stu3Profile,
            [
                ("clinicalStatus", .string(status.rawValue)),
                ("_clinicalStatus", STU3.codeSpecification(status.zibCode)),
                ("verificationStatus", verification.map { .string($0.rawValue) }),
                ("_verificationStatus", verification.map { STU3.codeSpecification($0.zibCode) }),
                ("category", type.map { [STU3.concept($0)] }),
                ("code", code),
                ("subject", context.patientReference),
                ("onsetDateTime", onset.map(FHIRValue.string)),
                ("abatementDateTime", abatement.map(FHIRValue.string)),
                ("assertedDate", source.createdAt.map(FHIRValue.string)),
                ("asserter", asserter.flatMap(context.referenceWithRole(toMember:))),
            ])
        return [condition]
    }
}

extension Probleem {
    /// The resolved date of a problem still marked active, which STU3 cannot carry (con-4).
    public var leftOutInSTU3: [String] {
        guard status == .active, let resolved else { return [] }
        return ["resolved date \(resolved) on an active problem: STU3 allows an abatement only when the problem is no longer active (con-4); left out"]
    }
}

extension AllergieIntolerantie: STU3Rendering {
    public static let stu3Profile = "http://nictiz.nl/fhir/StructureDefinition/zib-AllergyIntolerance"

    /// One zib-AllergyIntolerance. The PZC does not say whether an allergy was confirmed, so the
    /// STU3-required verificationStatus is `unconfirmed`.
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let fhirCategory: String? = switch category {
        case .food?: "food"
        case .medication?: "medication"
        case .environment?: "environment"
        case .biologic?: "biologic"
        case nil: nil
        }
        let reactionValues: [FHIRValue] = reactions.map { reaction in
            var object: FHIRObject = ["manifestation": [STU3.concept(reaction.manifestation)]]
            if let description = reaction.description { object["description"] = .string(description) }
            if let severity = reaction.severity {
                object["severity"] = .string(severity.rawValue)
                object["_severity"] = STU3.codeSpecification(severity.zibCode)
            }
            return .object(object)
        }
        let allergy = try STU3.resource(
            "AllergyIntolerance", id: context.ids.id(for: source.entryID), profile: Self.stu3Profile,
            [
                ("clinicalStatus", .string(status.rawValue)),
                ("_clinicalStatus", STU3.codeSpecification(status.zibCode)),
                ("verificationStatus", "unconfirmed"),
                ("type", kind.map { .string($0.rawValue) }),
                ("category", fhirCategory.map { [.string($0)] }),
                ("_category", category.map { [STU3.codeSpecification($0.zibCode)] }),
                ("criticality", criticality.map { .string($0.rawValue) }),
                ("_criticality", criticality?.zibCode.map(STU3.codeSpecification)),
                ("code", STU3.concept(substance)),
                ("patient", context.patientReference),
                ("onsetDateTime", onset.map(FHIRValue.string)),
                ("assertedDate", source.createdAt.map(FHIRValue.string)),
                ("recorder", recorder.flatMap(context.referenceWithRole(toMember:))),
                ("reaction", reactionValues.isEmpty ? nil : .array(reactionValues)),
            ])
        return [allergy]
    }
}
