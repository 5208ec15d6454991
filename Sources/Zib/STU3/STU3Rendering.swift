import FHIR

/// A zib value that can be rendered as FHIR STU3 resources profiled on zib2017 / nl-core.
public protocol STU3Rendering: ZibValue {
    /// The resources this value becomes (e.g. a MedicationStatement and its Medication), each with
    /// `meta.profile`, a stable id from `context.ids`, and references that carry a display.
    func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource]

    /// What ``renderSTU3(in:)`` leaves out of this value because STU3 or a zib2017 profile cannot carry
    /// it, one reason each; reported with the value's entry. The zib value itself keeps everything, so a
    /// renderer for another FHIR version decides afresh.
    var leftOutInSTU3: [String] { get }
}

extension STU3Rendering {
    public var leftOutInSTU3: [String] { [] }
}

/// What every renderer needs to know about the PZC besides the value itself: the id scheme and how
/// to refer to the patient and to members.
public struct STU3RenderContext: Sendable {
    public let ids: ResourceIdentity
    /// The patient's name as shown in `Reference.display`.
    public let patientDisplay: String
    private let members: [String: Member]

    public init(export: PZCExport) {
        self.ids = ResourceIdentity(pzcID: export.pzc.id)
        self.patientDisplay = PersonNameFormatter.display(export.patient.name)
        self.members = Dictionary(export.members.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func member(_ id: String) -> Member? { members[id] }

    /// `{"reference": "Patient/<id>", "display": "<name>"}`.
    public var patientReference: FHIRValue {
        ["reference": .string("Patient/\(ids.patientID)"), "display": .string(patientDisplay)]
    }

    /// A reference to whoever a member id (or `patient`) names: the Patient, a professional's
    /// Practitioner, or a family member's or friend's RelatedPerson. Nil for unknown ids.
    public func reference(toMember id: String) -> FHIRValue? {
        if id == "patient" { return patientReference }
        guard let member = members[id] else { return nil }
        let type = member.kind == "professional" ? "Practitioner" : "RelatedPerson"
        return ["reference": .string("\(type)/\(ids.id(for: member.id))"), "display": .string(PersonNameFormatter.display(member.name))]
    }

    /// A reference to an organisation of a professional member.
    public func reference(toOrganization organization: Organization) -> FHIRValue {
        ["reference": .string("Organization/\(ids.id(for: organization.id))"), "display": .string(organization.name)]
    }
}

/// Renders zib values as FHIR STU3 resources on the zib2017 / nl-core profiles; values without an
/// STU3 rendering are reported, not dropped.
///
/// ```swift
/// let output = STU3Renderer().render(PZCMapper.map(export), export: export)
/// output.resources.first?.resourceType   // "Patient"
/// ```
public struct STU3Renderer: ZibRenderer {
    public typealias Output = RenderOutput

    public var fhirVersion: FHIRVersion { .stu3 }

    public init() {}

    public func render(_ mapping: MappingResult, export: PZCExport) -> RenderOutput {
        Self.render(mapping, context: STU3RenderContext(export: export))
    }

    /// Every resource is also run through ``QualificationLint``: what fails the MedMij qualification
    /// asserts is reported with its entry (the resource is still served; the profiles allow it).
    public static func render(_ result: MappingResult, context: STU3RenderContext) -> RenderOutput {
        RenderOutput.collect(result, version: .stu3) { value in
            guard let value = value as? any STU3Rendering else { return nil }
            let resources = try value.renderSTU3(in: context)
            let lint = resources.flatMap { resource in
                QualificationLint.problems(in: resource).map { "fails the MedMij qualification: \($0)" }
            }
            return RenderedValue(resources: resources, leftOut: value.leftOutInSTU3 + lint)
        }
    }
}

/// How a person's name reads in displays: given names, own prefix and surname, after the name usage.
public enum PersonNameFormatter {
    public static func display(_ name: PersonName) -> String {
        let own = [name.prefix, name.family].compactMap { $0 }.joined(separator: " ")
        let partner = [name.partnerPrefix, name.partnerFamily].compactMap { $0 }.joined(separator: " ")
        let surname: String
        switch name.usage {
        case "partner" where !partner.isEmpty: surname = partner
        case "partner-own" where !partner.isEmpty: surname = "\(partner)-\(own)"
        case "own-partner" where !partner.isEmpty: surname = "\(own)-\(partner)"
        default: surname = own
        }
        let first = name.given?.joined(separator: " ") ?? name.initials ?? ""
        return first.isEmpty ? surname : "\(first) \(surname)"
    }
}
