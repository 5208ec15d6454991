/// Maps the dossier sections about care the patient received: medical devices, encounters,
/// procedures, laboratory results and nutrition advice.
///
/// ```swift
/// let result = CareEventMapping.map(export)
/// (result.values.first { $0 is Verrichting } as? Verrichting)?.category   // .surgical
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
            try labResult(entry, source)
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
        return Verrichting(
            source: source, procedure: entry.procedure, category: SurgicalProcedures.category(of: entry.procedure),
            start: entry.start, end: entry.end, bodySite: entry.bodySite, performer: entry.performer, reason: reason)
    }

    static func labResult(_ entry: LabResultEntry, _ source: EntrySource) throws(EntryRefusal) -> LaboratoriumUitslag {
        let result: LaboratoriumUitslag.Result
        if let unit = entry.unit, let number = try? EntryMapping.number(entry.value, field: "value") {
            result = .quantity(MeasuredQuantity(value: number, unit: unit))
        } else {
            // Results such as "negatief" or "> 90" are text; a unit, if any, stays with them.
            result = .text([entry.value, entry.unit].compactMap { $0 }.joined(separator: " "))
        }
        return LaboratoriumUitslag(
            source: source, test: entry.test, resultType: entry.resultType, result: result,
            referenceRange: entry.referenceRange,
            interpretation: try entry.interpretation.map { raw throws(EntryRefusal) in
                try EntryMapping.known(raw, field: "interpretation", as: LaboratoriumUitslag.Interpretation.self)
            },
            effective: entry.effective, specimen: entry.specimen)
    }
}

/// Decides whether a procedure is surgical, for the BgZ's surgical-procedure query.
///
/// Without a terminology server the SNOMED CT hierarchy below 387713003 cannot be walked, so this uses
/// a short list of common surgical codes plus the surgical word stems of the display (Dutch and
/// English). Anything else gets the general category: a missed surgical procedure is still served,
/// only not found by the surgical filter.
enum SurgicalProcedures {
    static let codes: Set<String> = [
        "387713003",  // Surgical procedure
        "80146002",  // Appendectomy
        "38102005",  // Cholecystectomy
        "52734007",  // Total replacement of hip
        "609588000",  // Total knee replacement
        "232717009",  // Coronary artery bypass grafting
        "54885007",  // Extraction of cataract
        "236886002",  // Hysterectomy
        "173422009",  // Tonsillectomy
    ]

    static let stems = [
        "ectomie", "ectomy", "otomie", "otomy", "plastiek", "plasty", "operatie", "operation", "chirurg", "surgical",
        "surgery", "resectie", "resection", "excisie", "excision", "transplant", "implantatie", "implantation",
        "amputatie", "amputation",
    ]

    static func category(of code: Code) -> Verrichting.Category {
        if code.system == STU3.snomed, codes.contains(code.code) { return .surgical }
        let display = code.display.lowercased()
        return stems.contains { display.contains($0) } ? .surgical : .other
    }
}
