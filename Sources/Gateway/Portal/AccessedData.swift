import Consent

/// What part of the record an audited FHIR request asked for, read from its path and query: the data
/// categories a patient recognises (``DataCategory``), so the access log can say "your medication"
/// rather than `/fhir/MedicationStatement?_include=…`.
///
/// ```swift
/// AccessedData(path: "/fhir/MedicationStatement?_include=MedicationStatement:medication")   // .categories([.medication])
/// AccessedData(path: "/fhir/Observation/$lastn?code=http://loinc.org%7C85354-9")           // .categories([.vitalSigns])
/// ```
enum AccessedData: Sendable, Hashable {
    case categories([DataCategory])
    /// Observations the request does not narrow down (no known code or category).
    case measurements
    /// Consent resources that are not recognisably directives: the patient's consents or directives.
    case consents
    /// Anything else (a path this reader does not know).
    case other

    init(path: String) {
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let segments = parts.first.map { $0.split(separator: "/").map(String.init) } ?? []
        guard segments.count >= 2, segments[0] == "fhir" else {
            self = .other
            return
        }
        let type = segments[1]
        let query = parts.count > 1 ? (try? QueryString.parse(String(parts[1]), form: false)) ?? [] : []
        // Search values are lists (`a,b`) of `system|code` or a bare code.
        let codes = query.filter { ["code", "category"].contains($0.name) }
            .flatMap { $0.value.split(separator: ",").map { String($0.split(separator: "|").last ?? "") } }
        switch type {
        case "Observation":
            var found = Set<DataCategory>()
            for code in codes { if let category = Self.observationCodes[code] { found.insert(category) } }
            self = found.isEmpty ? .measurements : .categories(DataCategory.allCases.filter(found.contains))
        case "Consent":
            self = codes.contains(where: Self.directiveCodes.contains) ? .categories([.directives]) : .consents
        default:
            let categories = DataCategory.of(resourceType: type) ?? []
            self = categories.isEmpty ? .other : .categories(DataCategory.allCases.filter(categories.contains))
        }
    }

    /// Codes and categories of the BgZ Observation queries (MedMij BgZ 2017) and the zib vital signs.
    private static let observationCodes: [String: DataCategory] = [
        // Vital signs (LOINC) and the FHIR observation categories.
        "85354-9": .vitalSigns, "8480-6": .vitalSigns, "8462-4": .vitalSigns, "29463-7": .vitalSigns, "8302-2": .vitalSigns,
        "8308-9": .vitalSigns, "8306-3": .vitalSigns, "8867-4": .vitalSigns, "8893-0": .vitalSigns, "8310-5": .vitalSigns,
        "59408-5": .vitalSigns, "vital-signs": .vitalSigns,
        "laboratory": .labResults, "275711006": .labResults, "49581000146104": .labResults,
        "14760-3": .labResults, "14743-9": .labResults, "14770-2": .labResults,
        "social-history": .socialHistory, "365508006": .socialHistory, "228366006": .socialHistory,
        "228273003": .socialHistory, "365980008": .socialHistory,
        "118228005": .functionalStatus, "384821006": .functionalStatus,
    ]

    /// SNOMED categories of zib AdvanceDirective and TreatmentDirective.
    private static let directiveCodes: Set<String> = ["11291000146105", "11341000146107"]
}
