/// Maps the dossier's problem list (zib Probleem) and allergies (zib AllergieIntolerantie).
enum ProblemAllergyMapping {
    static func problems(_ export: PZCExport) -> MappingResult {
        var mapping = SectionCollector(export, section: "dossier.problems")
        for entry in export.dossier.problems {
            let name: ProblemName
            switch (entry.code, entry.text?.nonBlank) {
            case (let code?, let text): name = .coded(code, text: text)
            case (nil, let text?): name = .text(text)
            case (nil, nil):
                mapping.unmapped(entry.id, "problem has neither a code nor a text")
                continue
            }
            guard let status = Probleem.Status(rawValue: entry.status) else {
                mapping.unmapped(entry.id, "problem status '\(entry.status)' is not active or inactive")
                continue
            }
            let type = problemType(entry.type)
            if type == nil { mapping.unmapped(entry.id, "problem type '\(entry.type)' is not in ProbleemTypeCodelijst; left out") }
            var verification: Probleem.Verificatie?
            if let word = entry.verification?.nonBlank {
                verification = Probleem.Verificatie(rawValue: word)
                if verification == nil { mapping.unmapped(entry.id, "verification '\(word)' is not in VerificatieStatusCodelijst; left out") }
            }
            let asserter = mapping.member(entry.author, of: entry.id, as: "author")
            mapping.append(
                Probleem(
                    source: mapping.source(entry), name: name, type: type, status: status, verification: verification,
                    onset: entry.onset, resolved: entry.resolved?.nonBlank, asserter: asserter))
        }
        return mapping.result
    }

    /// ProbleemTypeCodelijst. `finding` is not in the list; the list is extensible, so SNOMED's own
    /// "clinical finding" is used rather than dropping the category.
    static func problemType(_ word: String) -> CodedText? {
        let sct = ZibCodeSystem.snomed
        return switch word {
        case "diagnosis": CodedText(Code(system: sct, code: "282291009", display: "Diagnose"))
        case "complaint": CodedText(Code(system: sct, code: "409586006", display: "Klacht"))
        case "symptom": CodedText(Code(system: sct, code: "418799008", display: "Symptoom"))
        case "functional-limitation": CodedText(Code(system: sct, code: "248536006", display: "Functionele beperking"))
        case "complication": CodedText(Code(system: sct, code: "116223007", display: "Complicatie"))
        case "finding": CodedText(Code(system: sct, code: "404684003", display: "Bevinding"))
        default: nil
        }
    }

    static func allergies(_ export: PZCExport) -> MappingResult {
        var mapping = SectionCollector(export, section: "dossier.allergies")
        for entry in export.dossier.allergies {
            guard let status = AllergieIntolerantie.Status(rawValue: entry.status) else {
                mapping.unmapped(entry.id, "allergy status '\(entry.status)' is not active, inactive or resolved")
                continue
            }
            // The PZC's one `category` field holds either the kind (allergy/intolerance) or the category.
            var kind: AllergieIntolerantie.Kind?
            var category: AllergieIntolerantie.Categorie?
            if let word = entry.category?.nonBlank {
                kind = AllergieIntolerantie.Kind(rawValue: word)
                category = AllergieIntolerantie.Categorie(rawValue: word)
                if kind == nil, category == nil { mapping.unmapped(entry.id, "allergy category '\(word)' is unknown; left out") }
            }
            var criticality: AllergieIntolerantie.Kritiek?
            if let word = entry.criticality?.nonBlank {
                criticality = AllergieIntolerantie.Kritiek(rawValue: word)
                if criticality == nil { mapping.unmapped(entry.id, "criticality '\(word)' is not low, high or unable-to-assess; left out") }
            }
            let reactions = (entry.reactions ?? []).map { reaction in
                var severity: AllergieIntolerantie.Ernst?
                if let word = reaction.severity?.nonBlank {
                    severity = AllergieIntolerantie.Ernst(rawValue: word)
                    if severity == nil { mapping.unmapped(entry.id, "reaction severity '\(word)' is not in ErnstCodelijst; left out") }
                }
                return AllergieIntolerantie.Reactie(manifestation: reaction.manifestation, severity: severity, description: reaction.description?.nonBlank)
            }
            let recorder = mapping.member(entry.author, of: entry.id, as: "author")
            mapping.append(
                AllergieIntolerantie(
                    source: mapping.source(entry), substance: entry.substance, kind: kind, category: category,
                    criticality: criticality, status: status, reactions: reactions, onset: entry.onset, recorder: recorder))
        }
        return mapping.result
    }
}
