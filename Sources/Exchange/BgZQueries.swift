/// The 28 MedMij BgZ queries (BgZ 2017, STU3), in the order a MedMij-qualified PGO app sends them.
///
/// One list for everything that sends them: the collect flow (``number`` is what the patient sees
/// per query), the BgZ tests, and `Scripts/fetch-bgz.sh` (whose copy a test keeps equal to this one).
///
/// ```swift
/// for query in BgZQueries.all { let url = fhirBase + "/" + query.path }
/// ```
public enum BgZQueries {
    public struct Query: Sendable, Hashable {
        public let number: Int
        /// The zib (or BgZ section) the query collects, as MedMij names it.
        public let zib: String
        /// Relative to the FHIR base, already percent-encoded where the query string needs it.
        public let path: String

        /// The resource types a match may have: the path's type (for `$lastn`, Observation).
        public var matchType: String { String(path.prefix { $0 != "?" && $0 != "/" }) }
        /// The resource types `_include` may add, from `_include=Type:param[:Target]`.
        public var includeTypes: Set<String> {
            var types: Set<String> = []
            for item in path.split(separator: "&") where item.hasPrefix("_include=") || item.contains("?_include=") {
                let value = item.split(separator: "=", maxSplits: 1).last.map(String.init) ?? ""
                let parts = value.split(separator: ":").map(String.init)
                if parts.count == 3 { types.insert(parts[2]) } else if parts.count == 2 { types.formUnion(Self.targets[value] ?? []) }
            }
            return types
        }

        /// What an `_include` without an explicit target type may bring in (STU3 reference targets).
        static let targets: [String: Set<String>] = [
            "Patient:general-practitioner": ["Practitioner", "Organization", "PractitionerRole"],
            "MedicationStatement:medication": ["Medication"],
            "MedicationRequest:medication": ["Medication"],
            "MedicationDispense:medication": ["Medication"],
            "DeviceUseStatement:device": ["Device"],
            "Observation:related-target": ["Observation", "Sequence", "QuestionnaireResponse"],
            "Observation:specimen": ["Specimen"],
            "DeviceRequest:device": ["Device"],
        ]

        public init(number: Int, zib: String, path: String) {
            self.number = number
            self.zib = zib
            self.path = path
        }
    }

    public static let all: [Query] = [
        Query(number: 1, zib: "Patient", path: "Patient?_include=Patient:general-practitioner"),
        Query(number: 2, zib: "Betaler", path: "Coverage?_include=Coverage:payor:Patient&_include=Coverage:payor:Organization"),
        Query(number: 3, zib: "BehandelAanwijzing", path: "Consent?category=http://snomed.info/sct%7C11291000146105"),
        Query(number: 4, zib: "Wilsverklaring", path: "Consent?category=http://snomed.info/sct%7C11341000146107"),
        Query(number: 5, zib: "FunctioneleOfMentaleStatus", path: "Observation/$lastn?category=http://snomed.info/sct%7C118228005,http://snomed.info/sct%7C384821006"),
        Query(number: 6, zib: "Probleem", path: "Condition"),
        Query(number: 7, zib: "Woonsituatie", path: "Observation/$lastn?code=http://snomed.info/sct%7C365508006"),
        Query(number: 8, zib: "DrugsGebruik", path: "Observation?code=http://snomed.info/sct%7C228366006"),
        Query(number: 9, zib: "AlcoholGebruik", path: "Observation?code=http://snomed.info/sct%7C228273003"),
        Query(number: 10, zib: "TabakGebruik", path: "Observation?code=http://snomed.info/sct%7C365980008"),
        Query(number: 11, zib: "Voedingsadvies", path: "NutritionOrder"),
        Query(number: 12, zib: "Alert", path: "Flag"),
        Query(number: 13, zib: "AllergieIntolerantie", path: "AllergyIntolerance"),
        Query(number: 14, zib: "MedicatieGebruik", path: "MedicationStatement?category=urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3%7C6&_include=MedicationStatement:medication"),
        Query(number: 15, zib: "Medicatieafspraak", path: "MedicationRequest?category=http://snomed.info/sct%7C16076005&_include=MedicationRequest:medication"),
        Query(number: 16, zib: "Toedieningsafspraak", path: "MedicationDispense?category=http://snomed.info/sct%7C422037009&_include=MedicationDispense:medication"),
        Query(number: 17, zib: "MedischHulpmiddel", path: "DeviceUseStatement?_include=DeviceUseStatement:device"),
        Query(number: 18, zib: "Vaccinatie", path: "Immunization?status=completed"),
        Query(number: 19, zib: "Bloeddruk", path: "Observation/$lastn?code=http://loinc.org%7C85354-9"),
        Query(number: 20, zib: "Lichaamsgewicht", path: "Observation/$lastn?code=http://loinc.org%7C29463-7"),
        Query(number: 21, zib: "Lichaamslengte", path: "Observation/$lastn?code=http://loinc.org%7C8302-2,http://loinc.org%7C8306-3,http://loinc.org%7C8308-9"),
        Query(number: 22, zib: "LaboratoriumUitslag", path: "Observation/$lastn?category=http://snomed.info/sct%7C275711006&_include=Observation:related-target&_include=Observation:specimen"),
        Query(number: 23, zib: "Verrichting", path: "Procedure?category=http://snomed.info/sct%7C387713003"),
        Query(number: 24, zib: "Contact", path: "Encounter?class=http://hl7.org/fhir/v3/ActCode%7CIMP,http://hl7.org/fhir/v3/ActCode%7CACUTE,http://hl7.org/fhir/v3/ActCode%7CNONAC"),
        Query(number: 25, zib: "Geplande zorg: verrichting", path: "ProcedureRequest?status=active"),
        Query(number: 26, zib: "Geplande zorg: vaccinatie", path: "ImmunizationRecommendation"),
        Query(number: 27, zib: "Geplande zorg: afspraak", path: "Appointment?status=booked,pending,proposed"),
        Query(number: 28, zib: "Geplande zorg: hulpmiddel", path: "DeviceRequest?status=active&_include=DeviceRequest:device"),
    ]
}
