/// Maps the PZC's members: professionals to zib Zorgverlener (with their organisation, zib
/// Zorgaanbieder, once per organisation) and family and friends to zib Contactpersoon.
enum MemberMapping {
    static let section = "members"

    static func members(_ export: PZCExport) -> MappingResult {
        var mapping = SectionCollector(export, section: section)
        let contacts = ContactList(export.patient.contactPersons ?? [])
        var organizationsSeen = Set<String>()
        for member in export.members {
            let source = EntrySource(entryID: member.id, section: section, author: "patient", createdAt: nil)
            switch member.kind {
            case "professional":
                let organization = member.organization.map { zorgaanbieder(for: $0, source: source) }
                mapping.append(
                    Zorgverlener(
                        source: source, memberID: member.id, name: member.name, telecom: member.telecom ?? [],
                        identifiers: .init(uzi: member.uzi?.nonBlank, agb: member.agb?.nonBlank, big: member.big?.nonBlank),
                        specialty: member.specialty, roleName: member.role?.nonBlank, organization: organization))
                if let organization, organizationsSeen.insert(organization.organizationID).inserted {
                    mapping.append(organization)
                }
            case "family", "friend":
                mapping.append(relatedPerson(member, source: source, contact: contacts.member(member.id), mapping: &mapping))
            default:
                mapping.unmapped(member.id, "member kind '\(member.kind)' is not professional, family or friend")
            }
        }
        return mapping.result
    }

    private static func zorgaanbieder(for organization: Organization, source: EntrySource) -> Zorgaanbieder {
        Zorgaanbieder(
            source: source, organizationID: organization.id, name: organization.name, ura: organization.ura?.nonBlank,
            agb: organization.agb?.nonBlank, type: organization.type, address: organization.address)
    }

    /// A family member or friend with all their contact roles; the relationship comes from the patient's
    /// contact list when it is there, otherwise from the member.
    private static func relatedPerson(
        _ member: Member, source: EntrySource, contact: ContactList.Member?, mapping: inout SectionCollector
    ) -> Contactpersoon {
        var merged = contact ?? ContactList.Member(member: member.id)
        if merged.relationships.isEmpty, let word = member.relationship?.nonBlank ?? (member.kind == "friend" ? "friend" : nil) {
            merged.relationships = [word]
        }
        return Contactpersoon(
            source: source, memberID: member.id, name: member.name, telecom: member.telecom ?? [],
            relationships: merged.codedRelationships(reportingTo: &mapping), roles: merged.codedRoles(reportingTo: &mapping, reportUnknown: false))
    }
}
