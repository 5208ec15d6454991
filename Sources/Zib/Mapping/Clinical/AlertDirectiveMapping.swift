/// Maps alerts (zib Alert), advance directives (zib Wilsverklaring) and treatment directives
/// (zib BehandelAanwijzing).
enum AlertDirectiveMapping {
    static func alerts(_ export: PZCExport) -> MappingResult {
        var mapping = SectionCollector(export, section: "dossier.alerts")
        for entry in export.dossier.alerts {
            guard entry.status == "active" || entry.status == "inactive" else {
                mapping.unmapped(entry.id, "alert status '\(entry.status)' is not active or inactive")
                continue
            }
            var concern: Alert.Concern?
            if let id = entry.concern?.nonBlank {
                concern = self.concern(id, in: export)
                if concern == nil { mapping.unmapped(entry.id, "concern '\(id)' is no problem or allergy entry; left out") }
            }
            let author = mapping.member(entry.author, of: entry.id, as: "author")
            mapping.append(
                Alert(
                    source: mapping.source(entry), alert: entry.alert, active: entry.status == "active", concern: concern,
                    comment: entry.comment?.nonBlank, author: author))
        }
        return mapping.result
    }

    private static func concern(_ id: String, in export: PZCExport) -> Alert.Concern? {
        if let problem = export.dossier.problems.first(where: { $0.id == id }) {
            let display = problem.text?.nonBlank ?? problem.code?.display ?? "Probleem"
            return Alert.Concern(kind: .problem, entryID: id, display: display)
        }
        if let allergy = export.dossier.allergies.first(where: { $0.id == id }) {
            return Alert.Concern(kind: .allergy, entryID: id, display: allergy.substance.display)
        }
        return nil
    }

    static func advanceDirectives(_ export: PZCExport) -> MappingResult {
        var mapping = SectionCollector(export, section: "dossier.advanceDirectives")
        for entry in export.dossier.advanceDirectives {
            guard entry.date.nonBlank != nil else {
                mapping.unmapped(entry.id, "advance directive has no date")
                continue
            }
            let document = linkedDocument(entry, export: export, mapping: &mapping)
            mapping.append(
                Wilsverklaring(source: mapping.source(entry), type: entry.type, date: entry.date, comment: entry.comment?.nonBlank, document: document))
        }
        return mapping.result
    }

    static func treatmentDirectives(_ export: PZCExport) -> MappingResult {
        var mapping = SectionCollector(export, section: "dossier.treatmentDirectives")
        for entry in export.dossier.treatmentDirectives {
            // zib-TreatmentDirective makes TreatmentPermitted a required modifier: without it the
            // directive could be read the wrong way round, so it is not mapped at all.
            guard let word = entry.permitted?.nonBlank, let permitted = BehandelAanwijzing.Toegestaan(rawValue: word) else {
                mapping.unmapped(entry.id, "treatment directive without permitted (yes, no or yes-with-conditions)")
                continue
            }
            guard entry.date.nonBlank != nil else {
                mapping.unmapped(entry.id, "treatment directive has no date")
                continue
            }
            let document = linkedDocument(entry, export: export, mapping: &mapping)
            mapping.append(
                BehandelAanwijzing(
                    source: mapping.source(entry), treatment: entry.type, permitted: permitted, date: entry.date,
                    comment: entry.comment?.nonBlank, document: document))
        }
        return mapping.result
    }

    private static func linkedDocument(_ entry: DirectiveEntry, export: PZCExport, mapping: inout SectionCollector) -> LinkedDocument? {
        guard let id = entry.document?.nonBlank else { return nil }
        guard let file = export.files.first(where: { $0.id == id }) else {
            mapping.unmapped(entry.id, "document '\(id)' is not a file of this PZC; left out")
            return nil
        }
        return LinkedDocument(fileID: file.id, name: file.name)
    }
}
