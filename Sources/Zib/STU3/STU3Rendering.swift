import FHIR

/// A zib value that can be rendered as FHIR STU3 resources profiled on zib2017 / nl-core.
public protocol STU3Rendering: ZibValue {
    /// The resources this value becomes (e.g. a MedicationStatement and its Medication), each with
    /// `meta.profile`, a stable id from `context.ids`, and references that carry a display.
    func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource]
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

/// Renders the values of a mapping; values without an STU3 rendering are reported, not dropped.
public enum STU3Renderer {
    public struct Output: Sendable {
        public var resources: [FHIRResource]
        public var unmapped: [UnmappedEntry]
        /// For each rendered resource (`Type/id`), the export entry it was made from.
        public var origins: [String: String] = [:]
    }

    public static func render(_ result: MappingResult, context: STU3RenderContext) -> Output {
        var output = Output(resources: [], unmapped: result.unmapped)
        var rendered = [String: FHIRResource]()
        for value in result.values {
            guard let renderable = value as? any STU3Rendering else {
                output.unmapped.append(
                    UnmappedEntry(
                        entryID: value.source.entryID, section: value.source.section,
                        reason: "no FHIR STU3 rendering for zib \(type(of: value).zibName)"))
                continue
            }
            do {
                for resource in try renderable.renderSTU3(in: context) {
                    let key = "\(resource.resourceType)/\(resource.id ?? "")"
                    guard let earlier = rendered[key] else {
                        rendered[key] = resource
                        output.resources.append(resource)
                        output.origins[key] = value.source.entryID
                        continue
                    }
                    // A shared resource (an organisation of several members) comes again unchanged and is
                    // rendered once; different content under the same id means two entries collide, and the
                    // later one is reported rather than silently lost.
                    if earlier != resource {
                        output.unmapped.append(
                            UnmappedEntry(
                                entryID: value.source.entryID, section: value.source.section,
                                reason: "its resource id \(key) is already used by entry '\(output.origins[key] ?? "?")'; not rendered"))
                    }
                }
            } catch {
                output.unmapped.append(
                    UnmappedEntry(entryID: value.source.entryID, section: value.source.section, reason: "\(error)"))
            }
        }
        return output
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
