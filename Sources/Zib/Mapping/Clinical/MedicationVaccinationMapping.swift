/// Maps medication use (zib MedicatieGebruik) and vaccinations (zib Vaccinatie).
enum MedicationVaccinationMapping {
    static func medicationUse(_ export: PZCExport) -> MappingResult {
        var mapping = SectionCollector(export, section: "dossier.medicationUse")
        for entry in export.dossier.medicationUse {
            guard let productName = entry.productName.nonBlank else {
                mapping.unmapped(entry.id, "medication use has no product name")
                continue
            }
            let informant = mapping.member(entry.author, of: entry.id, as: "author")
            let prescriber = mapping.professional(entry.prescriber, of: entry.id, as: "prescriber")
            mapping.append(
                MedicatieGebruik(
                    source: mapping.source(entry), product: entry.product, productName: productName,
                    dosage: entry.dosage, start: entry.start, end: entry.end, asAgreed: entry.asAgreed,
                    prescriber: prescriber, reason: entry.reason?.nonBlank, informant: informant))
        }
        return mapping.result
    }

    static func vaccinations(_ export: PZCExport) -> MappingResult {
        var mapping = SectionCollector(export, section: "dossier.vaccinations")
        for entry in export.dossier.vaccinations {
            guard entry.date.nonBlank != nil else {
                mapping.unmapped(entry.id, "vaccination has no date")
                continue
            }
            // An unknown status could be a withdrawn record read as a given vaccination, so the entry is not mapped.
            let word = entry.status ?? Vaccinatie.Status.completed.rawValue
            guard let status = Vaccinatie.Status(rawValue: word) else {
                let known = Vaccinatie.Status.allCases.map(\.rawValue).joined(separator: " or ")
                mapping.unmapped(entry.id, "vaccination status '\(word)' is not \(known)")
                continue
            }
            // STU3 Immunization.practitioner.actor can only be a Practitioner.
            let administeredBy = mapping.professional(entry.administeredBy, of: entry.id, as: "administered by")
            mapping.append(
                Vaccinatie(
                    source: mapping.source(entry), vaccine: entry.vaccine, date: entry.date, dose: entry.dose?.nonBlank,
                    administeredBy: administeredBy, status: status))
        }
        return mapping.result
    }
}
