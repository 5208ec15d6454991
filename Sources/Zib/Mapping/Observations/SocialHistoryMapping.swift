/// Maps the coded-observation sections of the dossier: living situation, tobacco, alcohol and drug use,
/// and functional or mental status.
///
/// ```swift
/// let result = SocialHistoryMapping.map(export)
/// result.values.compactMap { $0 as? TabakGebruik }.first?.amount   // .packYears("30")
/// ```
enum SocialHistoryMapping {
    static func map(_ export: PZCExport) -> MappingResult {
        var result = EntryMapping.each(export.dossier.livingSituation, section: "dossier.livingSituation") { entry, source in
            Woonsituatie(source: source, finding: finding(entry))
        }
        result.append(contentsOf: EntryMapping.each(export.dossier.tobaccoUse, section: "dossier.tobaccoUse") { entry, source throws(EntryRefusal) in
            TabakGebruik(source: source, finding: finding(entry), amount: try tobaccoAmount(entry))
        })
        result.append(contentsOf: EntryMapping.each(export.dossier.alcoholUse, section: "dossier.alcoholUse") { entry, source throws(EntryRefusal) in
            AlcoholGebruik(source: source, finding: finding(entry), amount: try quantity(entry))
        })
        result.append(contentsOf: EntryMapping.each(export.dossier.drugUse, section: "dossier.drugUse") { entry, source in
            // The zib keeps drug amounts as free text, so a unit is simply part of that text.
            let amount = entry.amount.map { amount in [amount, entry.amountUnit].compactMap { $0 }.joined(separator: " ") }
            return DrugsGebruik(source: source, finding: finding(entry), amount: amount)
        })
        // Only functional status has a StatusNaam; a name elsewhere would otherwise vanish without a word.
        let unnamed = [
            ("dossier.livingSituation", export.dossier.livingSituation), ("dossier.tobaccoUse", export.dossier.tobaccoUse),
            ("dossier.alcoholUse", export.dossier.alcoholUse), ("dossier.drugUse", export.dossier.drugUse),
        ]
        for (section, entries) in unnamed {
            for entry in entries where entry.name != nil {
                result.unmapped.append(UnmappedEntry(entryID: entry.id, section: section, reason: "name is only used for functional status; left out"))
            }
        }
        result.append(contentsOf: EntryMapping.each(export.dossier.functionalStatus, section: "dossier.functionalStatus") { entry, source throws(EntryRefusal) in
            guard let raw = entry.category else { throw .missing(field: "category") }
            let category = try EntryMapping.known(raw, field: "category", as: FunctioneleOfMentaleStatus.Category.self)
            guard let name = entry.name else { throw .missing(field: "name") }
            // The zib requires name and value to come from one code system, or the value cannot be read.
            guard name.system == entry.value.system else {
                throw .mismatchedSystems(field: "value", system: entry.value.system, expected: name.system)
            }
            return FunctioneleOfMentaleStatus(source: source, name: name, finding: finding(entry), category: category)
        })
        return result
    }

    static func finding(_ entry: CodedObservationEntry) -> CodedFinding {
        CodedFinding(value: entry.value, date: entry.date, start: entry.start, end: entry.end, comment: entry.comment)
    }

    static func tobaccoAmount(_ entry: CodedObservationEntry) throws(EntryRefusal) -> TabakGebruik.Amount? {
        guard let quantity = try quantity(entry) else { return nil }
        return quantity.unit == "{PackYears}" ? .packYears(quantity.value) : .perPeriod(quantity)
    }

    /// An amount as a number with its UCUM unit; a number without a unit means nothing and is refused.
    static func quantity(_ entry: CodedObservationEntry) throws(EntryRefusal) -> MeasuredQuantity? {
        guard let amount = entry.amount else { return nil }
        let value = try EntryMapping.number(amount, field: "amount")
        guard let unit = entry.amountUnit else { throw .missing(field: "amountUnit") }
        return MeasuredQuantity(value: value, unit: unit)
    }
}
