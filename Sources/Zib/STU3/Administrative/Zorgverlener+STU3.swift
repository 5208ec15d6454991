import FHIR

extension Zorgverlener: STU3Rendering {
    public static let practitionerProfile = "http://fhir.nl/fhir/StructureDefinition/nl-core-practitioner"
    public static let practitionerRoleProfile = "http://fhir.nl/fhir/StructureDefinition/nl-core-practitionerrole"

    /// The Practitioner, their PractitionerRole in this care team (always, because every practitioner
    /// reference points at it) and their organisation.
    ///
    /// ```swift
    /// try gp.renderSTU3(in: context).map(\.resourceType)  // ["Practitioner", "PractitionerRole", "Organization"]
    /// ```
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let ids = [
            STU3.identifier("http://fhir.nl/fhir/NamingSystem/uzi-nr-pers", identifiers.uzi),
            STU3.identifier("http://fhir.nl/fhir/NamingSystem/agb-z", identifiers.agb),
            STU3.identifier("http://fhir.nl/fhir/NamingSystem/big", identifiers.big),
        ].compactMap { $0 }
        let practitionerID = context.ids.id(for: memberID)
        let practitioner = try STU3.resource(
            "Practitioner", id: practitionerID, profile: Self.practitionerProfile,
            [
                ("identifier", ids.isEmpty ? nil : .array(ids)),
                ("name", [STU3.humanName(name)]),
                ("telecom", telecom.isEmpty ? nil : .array(telecom.map(STU3.contactPoint))),
            ])
        var specialty: FHIRValue?
        if let code = self.specialty {
            specialty = [["coding": [STU3.coding(code)], "text": .string(roleName ?? code.display)]]
        } else if let roleName {
            specialty = [["text": .string(roleName)]]
        }
        let role = try STU3.resource(
            "PractitionerRole", id: context.ids.id(for: memberID, role: "role"), profile: Self.practitionerRoleProfile,
            [
                ("practitioner", ["reference": .string("Practitioner/\(practitionerID)"), "display": .string(PersonNameFormatter.display(name))]),
                ("organization", organization.map { $0.stu3Reference(in: context) }),
                ("specialty", specialty),
            ])
        return [practitioner, role] + (try organization?.renderSTU3(in: context) ?? [])
    }
}

extension Zorgaanbieder: STU3Rendering {
    public static let stu3Profile = "http://fhir.nl/fhir/StructureDefinition/nl-core-organization"

    /// One nl-core-organization identified by URA, AGB-Z and/or UZOVI.
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let ids = [
            STU3.identifier("http://fhir.nl/fhir/NamingSystem/ura", ura),
            STU3.identifier("http://fhir.nl/fhir/NamingSystem/agb-z", agb),
            STU3.identifier("http://fhir.nl/fhir/NamingSystem/uzovi", uzovi),
        ].compactMap { $0 }
        let organization = try STU3.resource(
            "Organization", id: context.ids.id(for: organizationID), profile: Self.stu3Profile,
            [
                ("identifier", ids.isEmpty ? nil : .array(ids)),
                ("type", type.map { [STU3.concept($0)] }),
                ("name", .string(name)),
                ("address", address.map { [STU3.address($0, use: "work")] }),
            ])
        return [organization]
    }

    /// `{"reference": "Organization/<id>", "display": name}`, the same id ``STU3RenderContext`` uses.
    func stu3Reference(in context: STU3RenderContext) -> FHIRValue {
        ["reference": .string("Organization/\(context.ids.id(for: organizationID))"), "display": .string(name)]
    }
}
