import FHIR

extension Betaler: STU3Rendering {
    public static let stu3Profile = "http://nictiz.nl/fhir/StructureDefinition/zib-Payer"

    /// zib-Payer requires `period.end` whenever there is a period, so a policy start alone cannot be
    /// shown in STU3 (the zib itself allows it, and keeps it).
    public var leftOutInSTU3: [String] {
        start != nil && end == nil ? ["policy start without end: zib-Payer requires period.end; period left out"] : []
    }

    /// A zib-Payer Coverage for the patient as subscriber and beneficiary, and the insurer Organization.
    /// The period is written only with its end (see ``leftOutInSTU3``).
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        var period: FHIRValue?
        if let end {
            var object: FHIRObject = [:]
            if let start { object["start"] = .string(start) }
            object["end"] = .string(end)
            period = .object(object)
        }
        let coverage = try STU3.resource(
            "Coverage", id: context.ids.id(for: source.entryID), profile: Self.stu3Profile,
            [
                ("status", "active"),
                ("type", STU3.concept(insuranceType)),
                ("subscriber", context.patientReference),
                ("subscriberId", .string(policyNumber)),
                ("beneficiary", context.patientReference),
                ("relationship", ["coding": [STU3.coding("http://hl7.org/fhir/policyholder-relationship", "self", "Self")], "text": "Verzekerde zelf"]),
                ("period", period),
                ("payor", [insurer.stu3Reference(in: context)]),
            ])
        return [coverage] + (try insurer.renderSTU3(in: context))
    }
}
