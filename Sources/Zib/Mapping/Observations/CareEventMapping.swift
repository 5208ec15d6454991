/// Maps the dossier sections about care the patient received: medical devices, encounters,
/// procedures, laboratory results and nutrition advice.
///
/// ```swift
/// let result = CareEventMapping.map(export)
/// (result.values.first { $0 is Verrichting } as? Verrichting)?.category.code   // "387713003"
/// ```
enum CareEventMapping {
    static func map(_ export: PZCExport) -> MappingResult {
        let dossier = export.dossier
        var result = EntryMapping.each(dossier.medicalDevices, section: "dossier.medicalDevices") { entry, source in
            MedischHulpmiddel(
                source: source, productType: entry.productType, start: entry.start, end: entry.end,
                bodySite: entry.bodySite, comment: entry.comment)
        }
        result.append(contentsOf: EntryMapping.each(dossier.encounters, section: "dossier.encounters") { entry, source throws(EntryRefusal) in
            Contact(
                source: source, contactType: try EntryMapping.known(entry.encounterClass, field: "encounterClass", as: Contact.ContactType.self),
                start: entry.start, end: entry.end, organization: entry.organization.map { organization($0, in: export) },
                reason: entry.reason)
        })
        result.append(contentsOf: EntryMapping.each(dossier.procedures, section: "dossier.procedures") { entry, source throws(EntryRefusal) in
            try procedure(entry, source, in: export)
        })
        result.append(contentsOf: EntryMapping.each(dossier.labResults, section: "dossier.labResults") { entry, source throws(EntryRefusal) in
            try labResult(entry, source, in: export)
        })
        result.append(contentsOf: EntryMapping.each(dossier.nutritionAdvice, section: "dossier.nutritionAdvice") { entry, source in
            Voedingsadvies(source: source, diet: entry.diet, description: entry.description, start: entry.start, end: entry.end)
        })
        return result
    }

    /// One of the members' organisations when the id matches, otherwise the text is taken as a name.
    static func organization(_ text: String, in export: PZCExport) -> OrganizationMention {
        let known = export.members.lazy.compactMap(\.organization).first { $0.id == text }
        return known.map(OrganizationMention.known) ?? .named(text)
    }

    static func procedure(_ entry: ProcedureEntry, _ source: EntrySource, in export: PZCExport) throws(EntryRefusal) -> Verrichting {
        if let performer = entry.performer, !export.members.contains(where: { $0.id == performer }) {
            throw .unknownReference(field: "performer", id: performer, section: "members")
        }
        var reason: ProblemMention?
        if let problemID = entry.reason {
            guard let problem = export.dossier.problems.first(where: { $0.id == problemID }) else {
                throw .unknownReference(field: "reason", id: problemID, section: "dossier.problems")
            }
            reason = ProblemMention(entryID: problem.id, display: problem.code?.display ?? problem.text ?? problem.type)
        }
        // The category decides whether the BgZ surgical query finds the procedure; guessing it from
        // the name would silently misfile procedures, so the export must say.
        guard let category = entry.category else { throw .missing(field: "category") }
        return Verrichting(
            source: source, procedure: entry.procedure, category: category,
            start: entry.start, end: entry.end, bodySite: entry.bodySite, performer: entry.performer, reason: reason)
    }

    static func labResult(_ entry: LabResultEntry, _ source: EntrySource, in export: PZCExport) throws(EntryRefusal) -> LaboratoriumUitslag {
        var members: [LaboratoriumUitslag.Member] = []
        for id in entry.members ?? [] {
            guard id != entry.id, let member = export.dossier.labResults.first(where: { $0.id == id }) else {
                throw .unknownReference(field: "members", id: id, section: "dossier.labResults")
            }
            members.append(LaboratoriumUitslag.Member(entryID: member.id, display: member.test.display))
        }
        var result: LaboratoriumUitslag.Result?
        if let value = entry.value {
            if let unit = entry.unit, let number = try? EntryMapping.number(value, field: "value") {
                result = .quantity(MeasuredQuantity(value: number, unit: unit))
            } else {
                // Results such as "negatief" or "> 90" are text; a unit, if any, stays with them.
                result = .text([value, entry.unit].compactMap { $0 }.joined(separator: " "))
            }
        } else if members.isEmpty {
            // Only a panel may go without a value: it is read through its members.
            throw .missing(field: "value")
        }
        return LaboratoriumUitslag(
            source: source, test: entry.test, resultType: entry.resultType, result: result,
            referenceRange: entry.referenceRange,
            interpretation: try entry.interpretation.map { raw throws(EntryRefusal) in
                try EntryMapping.known(raw, field: "interpretation", as: LaboratoriumUitslag.Interpretation.self)
            },
            effective: entry.effective, specimen: entry.specimen,
            status: try entry.status.map { raw throws(EntryRefusal) in
                try EntryMapping.known(raw, field: "status", as: LaboratoriumUitslag.ResultaatStatus.self)
            } ?? .final, members: members)
    }
}
