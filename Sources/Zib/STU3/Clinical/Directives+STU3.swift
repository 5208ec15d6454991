import FHIR

/// What both directive Consents share: the legal basis (WGBO, in Burgerlijk Wetboek 7) that STU3
/// Consent requires as `policy`, the comment extension and the link to the signed document.
enum STU3Directive {
    static let policy: FHIRValue = [["uri": "https://wetten.overheid.nl/BWBR0005290"]]
    static let commentURL = "http://nictiz.nl/fhir/StructureDefinition/Comment"

    /// The signed document as the DocumentReference the document renderer makes of the file entry.
    static func source(_ document: LinkedDocument?, in context: STU3RenderContext) -> FHIRValue? {
        document.map { ["reference": .string("DocumentReference/\(context.ids.id(for: $0.fileID))"), "display": .string($0.name)] }
    }
}

extension Wilsverklaring: STU3Rendering {
    public static let stu3Profile = "http://nictiz.nl/fhir/StructureDefinition/zib-AdvanceDirective"

    /// A zib-AdvanceDirective Consent with both required category slices: the SNOMED living-will
    /// record and the WilsverklaringType.
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let livingWill: FHIRValue = [
            "coding": [STU3.coding(STU3.snomed, "11341000146107", "Living will and advance directive record (record artifact)")],
            "text": "Wilsverklaring",
        ]
        let consent = try STU3.resource(
            "Consent", id: context.ids.id(for: source.entryID), profile: Self.stu3Profile,
            [
                ("extension", comment.map { [STU3.extension(STU3Directive.commentURL, "valueString", .string($0))] }),
                ("status", "active"),
                ("category", [livingWill, STU3.concept(type)]),
                ("patient", context.patientReference),
                ("dateTime", .string(date)),
                ("sourceReference", STU3Directive.source(document, in: context)),
                ("policy", STU3Directive.policy),
            ])
        return [consent]
    }
}

extension BehandelAanwijzing: STU3Rendering {
    public static let stu3Profile = "http://nictiz.nl/fhir/StructureDefinition/zib-TreatmentDirective"

    /// A zib-TreatmentDirective Consent: the treatment in its extension and whether it is permitted in
    /// the required TreatmentPermitted modifier extension.
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        var extensions = [
            STU3.extension("http://nictiz.nl/fhir/StructureDefinition/zib-TreatmentDirective-Treatment", "valueCodeableConcept", STU3.concept(treatment))
        ]
        if let comment { extensions.append(STU3.extension(STU3Directive.commentURL, "valueString", .string(comment))) }
        let consent = try STU3.resource(
            "Consent", id: context.ids.id(for: source.entryID), profile: Self.stu3Profile,
            [
                ("extension", .array(extensions)),
                ("modifierExtension", [
                    STU3.extension(
                        "http://nictiz.nl/fhir/StructureDefinition/zib-TreatmentDirective-TreatmentPermitted", "valueCodeableConcept",
                        STU3.concept(permitted.zibCode))
                ]),
                ("status", "active"),
                ("category", [["coding": [STU3.coding(STU3.snomed, "11291000146105", "Treatment instructions (record artifact)")], "text": "Behandelaanwijzing"]]),
                ("patient", context.patientReference),
                ("dateTime", .string(date)),
                ("period", ["start": .string(date)]),
                ("sourceReference", STU3Directive.source(document, in: context)),
                ("policy", STU3Directive.policy),
            ])
        return [consent]
    }
}
