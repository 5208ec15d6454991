/// Maps the patient record (zib Patient with its Contactpersoon entries) and the payer (zib Betaler).
enum PatientMapping {
    static let section = "patient"

    static func patient(_ export: PZCExport) -> MappingResult {
        var mapping = SectionCollector(export, section: section)
        let record = export.patient
        let source = EntrySource(entryID: "patient", section: section, author: "patient", createdAt: nil)
        guard let gender = Geslacht(rawValue: record.gender) else {
            mapping.unmapped("patient", "gender '\(record.gender)' is not male, female, other or unknown")
            return mapping.result
        }
        var maritalStatus: BurgerlijkeStaat?
        if let word = record.maritalStatus?.nonBlank {
            maritalStatus = AdministrativeVocabulary.maritalStatus(word)
            if maritalStatus == nil { mapping.unmapped("patient", "marital status '\(word)' is not in BurgerlijkeStaatCodelijst; left out") }
        }
        let contacts = ContactList(record.contactPersons ?? []).members.compactMap { contactPerson(for: $0, in: &mapping) }
        let gp = mapping.professional(record.generalPractitioner, of: "patient", as: "general practitioner")
        mapping.append(
            Patient(
                source: source, name: record.name, birthDate: record.birthDate, gender: gender,
                bsn: record.bsn?.nonBlank, address: record.address, telecom: record.telecom ?? [], contacts: contacts,
                generalPractitioner: gp, maritalStatus: maritalStatus))
        return mapping.result
    }

    /// One of the patient's contact persons with all their roles, or nil (reported) when the member is unknown.
    private static func contactPerson(for contact: ContactList.Member, in mapping: inout SectionCollector) -> Contactpersoon? {
        guard let member = mapping.lookUp(contact.member) else {
            mapping.unmapped(contact.member, "contact person is not a member of this PZC")
            return nil
        }
        return Contactpersoon(
            source: EntrySource(entryID: member.id, section: "patient.contactPersons", author: "patient", createdAt: nil),
            memberID: member.id, name: member.name, telecom: member.telecom ?? [],
            relationships: contact.codedRelationships(reportingTo: &mapping), roles: contact.codedRoles(reportingTo: &mapping))
    }

    static func payer(_ export: PZCExport) -> MappingResult {
        var mapping = SectionCollector(export, section: "patient.payer")
        guard let payer = export.patient.payer else { return mapping.result }
        let source = EntrySource(entryID: "payer", section: "patient.payer", author: "patient", createdAt: nil)
        guard payer.uzovi.nonBlank != nil, payer.insurerName.nonBlank != nil else {
            mapping.unmapped("payer", "insurer without name or UZOVI number")
            return mapping.result
        }
        guard let type = AdministrativeVocabulary.insuranceType(payer.insuranceType) else {
            mapping.unmapped("payer", "insurance type '\(payer.insuranceType)' is not in VerzekeringssoortCodelijst")
            return mapping.result
        }
        let insurer = Zorgaanbieder(source: source, organizationID: "uzovi-\(payer.uzovi)", name: payer.insurerName, uzovi: payer.uzovi)
        mapping.append(
            Betaler(
                source: source, insurer: insurer, policyNumber: payer.policyNumber, insuranceType: type,
                start: payer.start, end: payer.end))
        return mapping.result
    }
}
