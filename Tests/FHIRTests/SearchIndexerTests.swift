import FHIR
import Testing

/// Index extraction over resources shaped like the Nictiz zib2017 examples (written inline in FHIR
/// JSON form; SearchIndexerNictizTests.swift runs the real example files through the XML codec).
@Suite("Search index extraction")
struct SearchIndexerTests {
    let indexer = SearchIndexer()

    private func entries(_ content: FHIRObject) throws -> [SearchIndexEntry] {
        indexer.entries(for: try SearchTestSupport.resource(content))
    }

    private func values(_ name: String, in entries: [SearchIndexEntry]) -> [SearchIndexValue] {
        entries.filter { $0.parameter == name }.map(\.value)
    }

    private func range(_ text: String) throws -> DateRange {
        try #require(DateRange(fhirDate: text))
    }

    /// A zib Patient: Dutch name with own-name extension, BSN, phone and e-mail, official address.
    static let patient: FHIRObject = [
        "resourceType": "Patient", "id": "nl-core-patient-01",
        "meta": ["profile": ["http://fhir.nl/fhir/StructureDefinition/nl-core-patient"],
                 "lastUpdated": "2020-01-02T03:04:05.678+01:00"],
        "identifier": [["system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "999911120"]],
        "active": true,
        "name": [[
            "text": "Johan van der Berg", "family": "van der Berg",
            "_family": ["extension": [
                ["url": "http://hl7.org/fhir/StructureDefinition/humanname-own-prefix", "valueString": "van der"],
                ["url": "http://hl7.org/fhir/StructureDefinition/humanname-own-name", "valueString": "Berg"],
            ]],
            "given": ["Johan", "Pieter"],
        ]],
        "telecom": [["system": "phone", "value": "06-12345645", "use": "home"],
                    ["system": "email", "value": "j@example.nl"]],
        "gender": "male", "birthDate": "1964-07-25", "deceasedBoolean": false,
        "address": [["use": "home", "line": ["Knolweg 1000"], "city": "Stitswerd", "postalCode": "9999XA",
                     "country": "NLD"]],
        "generalPractitioner": [["reference": "Practitioner/nl-core-practitioner-01"]],
        "managingOrganization": ["reference": "#org"],
    ]

    @Test("a zib Patient yields tokens, strings, dates and references")
    func patient() throws {
        let entries = try entries(Self.patient)
        #expect(values("_id", in: entries) == [.token(system: nil, code: "nl-core-patient-01")])
        #expect(values("_profile", in: entries) == [.uri("http://fhir.nl/fhir/StructureDefinition/nl-core-patient")])
        #expect(values("_lastUpdated", in: entries) == [.date(try range("2020-01-02T03:04:05.678+01:00"))])
        #expect(values("identifier", in: entries) == [.token(system: "http://fhir.nl/fhir/NamingSystem/bsn", code: "999911120")])
        #expect(values("active", in: entries) == [.token(system: nil, code: "true")])
        #expect(values("gender", in: entries) == [.token(system: nil, code: "male")])
        #expect(values("birthdate", in: entries) == [.date(try range("1964-07-25"))])
        #expect(values("death-date", in: entries).isEmpty, "deceasedBoolean is not a date")
        #expect(values("family", in: entries) == [.string(normalized: "van der berg", exact: "van der Berg"), .string(normalized: "berg", exact: "Berg")])
        #expect(values("given", in: entries) == [.string(normalized: "johan", exact: "Johan"), .string(normalized: "pieter", exact: "Pieter")])
        #expect(values("name", in: entries) == [
            .string(normalized: "van der berg", exact: "van der Berg"), .string(normalized: "johan", exact: "Johan"), .string(normalized: "pieter", exact: "Pieter"),
            .string(normalized: "johan van der berg", exact: "Johan van der Berg"), .string(normalized: "berg", exact: "Berg"),
        ])
        #expect(values("phone", in: entries) == [.token(system: nil, code: "06-12345645")])
        #expect(values("email", in: entries) == [.token(system: nil, code: "j@example.nl")])
        #expect(values("telecom", in: entries).count == 2)
        #expect(values("address-city", in: entries) == [.string(normalized: "stitswerd", exact: "Stitswerd")])
        #expect(values("address-postalcode", in: entries) == [.string(normalized: "9999xa", exact: "9999XA")])
        #expect(values("address", in: entries) == [
            .string(normalized: "knolweg 1000", exact: "Knolweg 1000"), .string(normalized: "stitswerd", exact: "Stitswerd"), .string(normalized: "9999xa", exact: "9999XA"),
            .string(normalized: "nld", exact: "NLD"),
        ])
        #expect(values("address-use", in: entries) == [.token(system: nil, code: "home")])
        #expect(values("general-practitioner", in: entries) == [
            .reference(type: "Practitioner", id: "nl-core-practitioner-01", url: "Practitioner/nl-core-practitioner-01"),
        ])
        #expect(values("organization", in: entries).isEmpty, "contained references are skipped")
    }

    /// A zib LaboratoryTestResult Observation.
    static let labResult: FHIRObject = [
        "resourceType": "Observation", "id": "lab-01", "status": "final",
        "category": [
            ["coding": [["system": "http://snomed.info/sct", "code": "49581000146104"]]],
            ["coding": [["system": "http://snomed.info/sct", "code": "275711006"]], "text": "Chemie"],
        ],
        "code": ["coding": [["system": "http://loinc.org", "code": "2069-3"],
                            ["system": "http://loinc.org", "code": "2069-3"]]],
        "subject": ["reference": "Patient/nl-core-patient-01"],
        "effectiveDateTime": "2012-05-23T12:00:00+02:00",
        "valueQuantity": ["value": .number(FHIRNumber(text: "109.0")!), "unit": "mmol/l",
                          "system": "http://unitsofmeasure.org", "code": "mmol/L"],
        "specimen": ["reference": "Specimen/spec-01"],
        "related": [["type": "derived-from", "target": ["reference": "Observation/lab-00"]]],
        "component": [["code": ["coding": [["system": "http://loinc.org", "code": "8480-6"]]]]],
    ]

    @Test("a lab Observation yields each coding once, quantities, and typed references")
    func labObservation() throws {
        let entries = try entries(Self.labResult)
        #expect(values("category", in: entries) == [
            .token(system: "http://snomed.info/sct", code: "49581000146104"),
            .token(system: "http://snomed.info/sct", code: "275711006"),
        ])
        #expect(values("code", in: entries) == [.token(system: "http://loinc.org", code: "2069-3")], "duplicates dropped")
        #expect(values("date", in: entries) == [.date(try range("2012-05-23T10:00:00Z"))])
        #expect(values("value-quantity", in: entries) == [
            .quantity(value: 109, system: "http://unitsofmeasure.org", code: "mmol/L"),
        ])
        let patient = SearchIndexValue.reference(type: "Patient", id: "nl-core-patient-01", url: "Patient/nl-core-patient-01")
        #expect(values("patient", in: entries) == [patient])
        #expect(values("subject", in: entries) == [patient])
        #expect(values("specimen", in: entries) == [.reference(type: "Specimen", id: "spec-01", url: "Specimen/spec-01")])
        #expect(values("related-target", in: entries) == [
            .reference(type: "Observation", id: "lab-00", url: "Observation/lab-00"),
        ])
        #expect(values("related-type", in: entries) == [.token(system: nil, code: "derived-from")])
        #expect(values("component-code", in: entries) == [.token(system: "http://loinc.org", code: "8480-6")])
        #expect(values("status", in: entries) == [.token(system: nil, code: "final")])
    }

    @Test("patient is indexed only for subjects that are Patients; subject for all of its targets")
    func patientOnlyForPatients() throws {
        let entries = try entries([
            "resourceType": "Observation", "id": "o1", "status": "final",
            "subject": ["reference": "Group/g1"],
        ])
        #expect(values("patient", in: entries).isEmpty)
        #expect(values("subject", in: entries) == [.reference(type: "Group", id: "g1", url: "Group/g1")])
    }

    @Test(
        "references: relative, versioned, absolute, bare, contained and urn forms",
        arguments: [
            ("Patient/p1", .reference(type: "Patient", id: "p1", url: "Patient/p1")),
            ("Patient/p1/_history/3", .reference(type: "Patient", id: "p1", url: "Patient/p1/_history/3")),
            ("https://xis.example/fhir/Patient/p1",
             .reference(type: "Patient", id: "p1", url: "https://xis.example/fhir/Patient/p1")),
            ("https://xis.example/fhir/Patient/p1/_history/2",
             .reference(type: "Patient", id: "p1", url: "https://xis.example/fhir/Patient/p1/_history/2")),
            ("p1", .reference(type: "Patient", id: "p1", url: "p1")),
            ("#contained", nil),
            ("urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0", nil),
            ("Practitioner/x1", nil),
            ("patient/p1", nil),
            ("Patient/not valid", nil),
            ("", nil),
        ] as [(String, SearchIndexValue?)])
    func references(reference: String, expected: SearchIndexValue?) throws {
        let entries = try entries([
            "resourceType": "Flag", "id": "f1", "subject": ["reference": .string(reference)],
        ])
        #expect(values("patient", in: entries) == (expected.map { [$0] } ?? []))
    }

    @Test("a bare id under a parameter with several targets has no type")
    func bareIdWithSeveralTargets() throws {
        let entries = try entries(["resourceType": "Flag", "id": "f1", "subject": ["reference": "x1"]])
        #expect(values("subject", in: entries) == [.reference(type: nil, id: "x1", url: "x1")])
    }

    @Test(
        "periods, choice types and timings become date ranges",
        arguments: [
            ("effectivePeriod", ["start": "2020-07-21"], "2020-07-21T00:00:00Z", nil),
            ("effectivePeriod", ["end": "2020-08"], nil, "2020-09-01T00:00:00Z"),
            ("effectivePeriod", ["start": "2020-07-21", "end": "2020-07-31"], "2020-07-21T00:00:00Z",
             "2020-08-01T00:00:00Z"),
            ("effectiveDateTime", "2020-07-21T10:00:00Z", "2020-07-21T10:00:00Z", "2020-07-21T10:00:01Z"),
        ] as [(String, FHIRValue, String?, String?)])
    func dates(key: String, value: FHIRValue, lower: String?, upper: String?) throws {
        var content: FHIRObject = ["resourceType": "MedicationStatement", "id": "m1"]
        content[key] = value
        let expected = DateRange(
            lowerBound: lower.map(SearchTestSupport.millis) ?? .min,
            upperBound: upper.map(SearchTestSupport.millis) ?? .max)
        #expect(values("effective", in: try entries(content)) == [.date(expected)])
    }

    @Test("Timing events are indexed one by one; reversed or malformed periods are skipped")
    func timingsAndBadPeriods() throws {
        let request = try entries([
            "resourceType": "MedicationRequest", "id": "r1",
            "dosageInstruction": [["timing": ["event": ["2021-01-01", "2021-01-02"]]]],
        ])
        #expect(values("date", in: request) == [.date(try range("2021-01-01")), .date(try range("2021-01-02"))])
        for period: FHIRValue in [["start": "2020-02", "end": "2020-01"], ["start": "soon"], ["start": 5], [:]] {
            let statement = try entries(["resourceType": "MedicationStatement", "id": "m1", "effectivePeriod": period])
            #expect(values("effective", in: statement).isEmpty, "\(period)")
        }
    }

    @Test("choice members of a non-date type are not dates")
    func choiceTypesFiltered() throws {
        let entries = try entries([
            "resourceType": "Procedure", "id": "p1", "performedString": "2017",
            "subject": ["reference": "Patient/p1"],
        ])
        #expect(values("date", in: entries).isEmpty)
    }

    @Test("numbers, Durations and ContactPoint-vs-Identifier tokens")
    func numbersAndTokens() throws {
        let encounter = try entries([
            "resourceType": "Encounter", "id": "e1", "class": ["system": "http://hl7.org/fhir/v3/ActCode", "code": "IMP"],
            "length": ["value": 3, "unit": "d"],
        ])
        #expect(values("length", in: encounter) == [.number(3)])
        #expect(values("class", in: encounter) == [.token(system: "http://hl7.org/fhir/v3/ActCode", code: "IMP")])
        let organization = try entries([
            "resourceType": "Organization", "id": "o1",
            "identifier": [["system": "http://fhir.nl/fhir/NamingSystem/agb-z", "value": "01234567"], ["value": "x"]],
            "name": "Huisartsenpraktijk Één", "alias": ["HAP"],
        ])
        #expect(values("identifier", in: organization) == [
            .token(system: "http://fhir.nl/fhir/NamingSystem/agb-z", code: "01234567"), .token(system: nil, code: "x"),
        ])
        #expect(values("name", in: organization) == [.string(normalized: "huisartsenpraktijk een", exact: "Huisartsenpraktijk Één"), .string(normalized: "hap", exact: "HAP")])
    }

    @Test("resources of any shape index without crashing; wrong shapes are skipped")
    func robustness() throws {
        let weird: FHIRObject = [
            "resourceType": "Observation", "id": 42, "meta": "not an object",
            "code": [1, "two", ["coding": "nope"], ["coding": [["code": 5], .null, ["system": "s"]]], .null],
            "subject": [["reference": ["nested": true]], "Patient/p1", .null],
            "effectiveDateTime": ["start": true], "valueQuantity": ["value": "12"],
            "component": [["code": [["coding": [["code": "c1"]]]]], "flat", [:]],
            "status": [true, "final"], "category": [:],
        ]
        let entries = try entries(weird)
        #expect(values("_id", in: entries).isEmpty)
        #expect(values("code", in: entries) == [.token(system: nil, code: "two")])
        #expect(values("component-code", in: entries) == [.token(system: nil, code: "c1")])
        #expect(values("status", in: entries) == [.token(system: nil, code: "true"), .token(system: nil, code: "final")])
        #expect(values("subject", in: entries).isEmpty)
        #expect(values("date", in: entries).isEmpty)
        #expect(values("value-quantity", in: entries).isEmpty)
        #expect(try self.entries(["resourceType": "Basic"]).isEmpty)
    }

    @Test("Binary indexes only _id and _lastUpdated")
    func binary() throws {
        let entries = try entries([
            "resourceType": "Binary", "id": "b1", "contentType": "application/pdf",
            "meta": ["lastUpdated": "2020-01-01T00:00:00Z", "profile": ["http://x"]],
        ])
        #expect(Set(entries.map(\.parameter)) == ["_id", "_lastUpdated"])
    }
}
