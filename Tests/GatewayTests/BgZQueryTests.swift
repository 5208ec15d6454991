import FHIR
import Exchange
import Foundation
import PZCImport
import Store
import Testing
import Zib

@testable import Gateway

/// The 28 MedMij BgZ queries (BgZ 2017, STU3), run against every demo PZC through the real mutual-TLS
/// endpoint with a token for that patient, as a MedMij-qualified PGO app sends them.
@Suite("The MedMij BgZ queries over the demo PZCs")
struct BgZQueryTests {
    /// The shared list (Sources/Exchange/BgZQueries.swift), which the collect flow sends too.
    static let queries: [(number: Int, zib: String, path: String)] = BgZQueries.all.map { ($0.number, $0.zib, $0.path) }

    static let patients = ["pzc-park-patient", "pzc-fert-patient", "pzc-diab-patient", "pzc-wils-patient", "pzc-kind-patient"]

    static func seedDemo(_ database: GatewayDatabase) async throws {
        let fixtures = try #require(ProjectResources.demoPZCDirectory)
        let profiles = try #require(ProjectResources.profilesDirectory)
        _ = try await GatewaySetup(directory: DataDirectory(path: "")).importDemoPZCs(from: fixtures, profiles: profiles, database: database)
    }

    /// "Type:mode" → count, e.g. ["Observation:match": 1, "Specimen:include": 1].
    static func counts(_ bundle: FHIRValue) -> [String: Int] {
        var counts = [String: Int]()
        for entry in bundle["entry"]?.elements ?? [] {
            let key = "\(entry["resource"]?["resourceType"]?.stringValue ?? "?"):\(entry["search"]?["mode"]?.stringValue ?? "?")"
            counts[key, default: 0] += 1
        }
        return counts
    }

    /// Expected entries per patient and query: "Type:mode" → count. Queries not listed return an empty searchset.
    /// Derived from the demo PZCs in Fixtures/pzc (see their README for the stories); each comment names the
    /// entries that make the count. `$lastn` queries give the latest observation per code, where an observation
    /// counts for every code it carries: a height carries 8302-2 and its position code (8308-9 standing,
    /// 8306-3 lying), so #21 answers the latest height and, when older, the latest lying height. Lab results
    /// count only chemistry (SCT 275711006), the category query #22 selects on; an include is never also a match.
    static let expected: [String: [Int: [String: Int]]] = [
        "pzc-park-patient": [
            1: ["Patient:match": 1, "Practitioner:include": 1],  // the patient; GP park-m-huisarts
            2: ["Coverage:match": 1, "Organization:include": 1],  // payer Waalzorg (UZOVI 9991)
            5: ["Observation:match": 2],  // park-func-1 (ICF d450 lopen), park-func-2 (d330 spreken): two codes
            6: ["Condition:match": 6],  // park-prob-1 … park-prob-6 (park-prob-6 text only)
            7: ["Observation:match": 1],  // park-woon-1
            9: ["Observation:match": 1],  // park-alcohol-1
            10: ["Observation:match": 1],  // park-tabak-1
            11: ["NutritionOrder:match": 1],  // park-voeding-1
            12: ["Flag:match": 1],  // park-alert-1 (fall risk)
            14: ["Medication:include": 5, "MedicationStatement:match": 5],  // park-med-1 … park-med-5, each with its Medication
            17: ["Device:include": 1, "DeviceUseStatement:match": 1],  // park-dev-1 (looprek, the rollator)
            18: ["Immunization:match": 2],  // park-vacc-1, park-vacc-2
            19: ["Observation:match": 1],  // latest of 36 blood pressures: park-bp-18-staand
            20: ["Observation:match": 1],  // latest of 10 weights: park-gewicht-10
            22: ["Observation:match": 2, "Specimen:include": 2],  // creatinine park-lab-3 (newer than park-lab-1), eGFR park-lab-4,
            // each with its serum specimen; park-lab-2 (haemoglobin) is haematology
            23: ["Procedure:match": 1],  // park-proc-1 total hip replacement (surgical); park-proc-2 physiotherapy is therapeutic
            24: ["Encounter:match": 1],  // park-enc-1 admission (IMP); park-enc-2 is AMB
        ],
        "pzc-fert-patient": [
            1: ["Patient:match": 1],  // no GP in this PZC
            6: ["Condition:match": 4],  // fert-prob-1 … fert-prob-4 (fert-prob-3 text only)
            8: ["Observation:match": 1],  // fert-drugs-1 (never used drugs)
            9: ["Observation:match": 1],  // fert-alcohol-1
            10: ["Observation:match": 1],  // fert-tabak-1 (never smoked)
            14: ["Medication:include": 5, "MedicationStatement:match": 5],  // fert-med-1 … fert-med-5 (fert-med-5 without product code)
            20: ["Observation:match": 1],  // latest of 3 weights: fert-gewicht-3
            21: ["Observation:match": 1],  // fert-lengte-1
            23: ["Procedure:match": 2],  // the two follicle punctures fert-proc-1, fert-proc-3 (surgical); the IVF
            // procedures fert-proc-2, fert-proc-4 are therapeutic
        ],
        "pzc-diab-patient": [
            1: ["Patient:match": 1, "Practitioner:include": 1],  // the patient; GP diab-m-huisarts
            2: ["Coverage:match": 1, "Organization:include": 1],  // payer with its insurer
            6: ["Condition:match": 3],  // diab-prob-1 … diab-prob-3
            8: ["Observation:match": 1],  // diab-drugs-1 (uses no drugs)
            9: ["Observation:match": 1],  // diab-alcohol-1
            10: ["Observation:match": 1],  // diab-tabak-1
            11: ["NutritionOrder:match": 1],  // diab-voeding-1 (diabetic diet)
            13: ["AllergyIntolerance:match": 1],  // diab-allergie-1 (penicillin)
            14: ["Medication:include": 3, "MedicationStatement:match": 3],  // diab-med-1 … diab-med-3
            17: ["Device:include": 1, "DeviceUseStatement:match": 1],  // diab-dev-1 (blood glucose meter)
            18: ["Immunization:match": 2],  // diab-vacc-1, diab-vacc-2 (flu)
            19: ["Observation:match": 1],  // latest of 9 blood pressures: diab-bp-09
            20: ["Observation:match": 1],  // latest weight: diab-gewicht-09
            22: ["Observation:match": 5, "Specimen:include": 5],  // five chemistry codes: HbA1c mmol/mol (diab-lab-3, newest of
            // diab-lab-1…3), HbA1c % diab-lab-4, glucose diab-lab-5, LDL diab-lab-6, creatinine diab-lab-7; each with its specimen
        ],
        "pzc-wils-patient": [
            1: ["Patient:match": 1, "Practitioner:include": 1],  // the patient; GP wils-m-huisarts
            2: ["Coverage:match": 1, "Organization:include": 1],  // payer with its insurer
            3: ["Consent:match": 4],  // treatment directives wils-ba-1 … wils-ba-4
            4: ["Consent:match": 2],  // advance directives wils-wv-1 (niet reanimeren), wils-wv-2 (volmacht)
            5: ["Observation:match": 2],  // wils-func-1 (ICF d510 zich wassen, functional), wils-func-2 (b114 orientation, mental)
            6: ["Condition:match": 5],  // wils-prob-1 … wils-prob-5
            7: ["Observation:match": 1],  // wils-woon-1
            11: ["NutritionOrder:match": 1],  // wils-voeding-1
            14: ["Medication:include": 5, "MedicationStatement:match": 5],  // wils-med-1 … wils-med-5
            17: ["Device:include": 1, "DeviceUseStatement:match": 1],  // wils-dev-1
            18: ["Immunization:match": 2],  // wils-vacc-1, wils-vacc-2
            19: ["Observation:match": 1],  // latest of 4 blood pressures: wils-bp-22
            20: ["Observation:match": 1],  // latest of 28 weights: wils-gewicht-28
            22: ["Observation:match": 5, "Observation:include": 1, "Specimen:include": 4],  // NT-proBNP wils-lab-1, sodium wils-lab-3,
            // creatinine wils-lab-4, the renal panel wils-lab-5 and the repeat potassium wils-lab-6 (newer than wils-lab-2);
            // wils-lab-2 comes in as the panel's related-target; specimens of the four matches that have one (the panel has none)
            24: ["Encounter:match": 1],  // wils-enc-1 admission (IMP); wils-enc-2 is a home visit (HH)
            // #23: wils-proc-1 echocardiography is diagnostic, not surgical
        ],
        "pzc-kind-patient": [
            1: ["Patient:match": 1, "Practitioner:include": 1],  // the patient; GP kind-m-huisarts
            2: ["Coverage:match": 1, "Organization:include": 1],  // payer with its insurer
            6: ["Condition:match": 3],  // kind-prob-1 … kind-prob-3
            7: ["Observation:match": 1],  // kind-woon-1
            12: ["Flag:match": 1],  // kind-alert-1 (on the peanut allergy)
            13: ["AllergyIntolerance:match": 1],  // kind-allergie-1 (peanut)
            14: ["Medication:include": 4, "MedicationStatement:match": 4],  // kind-med-1 … kind-med-4
            18: ["Immunization:match": 5],  // kind-vacc-1 … kind-vacc-5 (Rijksvaccinatieprogramma); kind-vacc-6 (HPV) is
            // entered-in-error
            20: ["Observation:match": 1],  // latest of 6 weights: kind-gewicht-6
            21: ["Observation:match": 2],  // kind-lengte-6, the latest of 7 heights (8302-2, 8308-9 standing), and
            // kind-lengte-0, the only lying height (8306-3, at 18 months)
            24: ["Encounter:match": 1],  // kind-enc-3 admission after an asthma attack (ACUTE); kind-enc-1 is EMER, kind-enc-2 AMB
            // #23: kind-proc-1 spirometry is diagnostic, not surgical
        ],
    ]

    /// For the answers the enriched demo data exists for, exactly which entries come back ("Type/id:mode"):
    /// the counts alone would not tell the latest per code from any other.
    static let expectedEntries: [String: [Int: Set<String>]] = [
        "pzc-wils-patient": [
            5: ["Observation/pzc-wils-wils-func-1:match", "Observation/pzc-wils-wils-func-2:match"],
            22: [
                "Observation/pzc-wils-wils-lab-1:match", "Observation/pzc-wils-wils-lab-3:match", "Observation/pzc-wils-wils-lab-4:match",
                "Observation/pzc-wils-wils-lab-5:match", "Observation/pzc-wils-wils-lab-6:match", "Observation/pzc-wils-wils-lab-2:include",
                "Specimen/pzc-wils-wils-lab-1-specimen:include", "Specimen/pzc-wils-wils-lab-3-specimen:include",
                "Specimen/pzc-wils-wils-lab-4-specimen:include", "Specimen/pzc-wils-wils-lab-6-specimen:include",
            ],
        ],
        "pzc-kind-patient": [
            18: Set((1...5).map { "Immunization/pzc-kind-kind-vacc-\($0):match" }),
            21: ["Observation/pzc-kind-kind-lengte-6:match", "Observation/pzc-kind-kind-lengte-0:match"],
            24: ["Encounter/pzc-kind-kind-enc-3:match"],
        ],
    ]

    static func entryKeys(_ bundle: FHIRValue) -> Set<String> {
        Set((bundle["entry"]?.elements ?? []).map { entry in
            let resource = entry["resource"]
            return "\(resource?["resourceType"]?.stringValue ?? "?")/\(resource?["id"]?.stringValue ?? "?"):\(entry["search"]?["mode"]?.stringValue ?? "?")"
        })
    }

    @Test("all 28 queries answer every demo patient with exactly the expected entries, qualified, the same in JSON and XML")
    func bgzQueries() async throws {
        try await GatewayHarness.withGateway(seed: Self.seedDemo) { gateway in
            let validator = try ProfileValidator.loadProjectProfiles(from: try #require(ProjectResources.profilesDirectory))
            let bsns = try await PZCRecords(database: gateway.database).all().compactMap(\.bsn)
            #expect(bsns.count == Self.patients.count)
            for patient in Self.patients {
                let token = try await gateway.token(patient: patient)
                for query in Self.queries {
                    let label = "\(patient) #\(query.number) \(query.zib)"
                    let json = try await gateway.request(
                        .GET, "/fhir/\(query.path)", token: token, headers: [("MedMij-Request-ID", "bgz-\(query.number)")])
                    #expect(json.status == 200, "\(label): \(json.text.prefix(300))")
                    let bundle = try json.json()
                    #expect(bundle["type"]?.stringValue == "searchset", "\(label)")
                    #expect(Self.counts(bundle) == (Self.expected[patient]?[query.number] ?? [:]), "\(label)")
                    if let entries = Self.expectedEntries[patient]?[query.number] {
                        #expect(Self.entryKeys(bundle) == entries, "\(label)")
                    }

                    // total counts matches only, and the self link echoes every parameter.
                    let matches = (bundle["entry"]?.elements ?? []).filter { $0["search"]?["mode"]?.stringValue == "match" }
                    #expect(bundle["total"]?.numberValue?.intValue == matches.count, "\(label)")
                    #expect(Self.parameters(Self.selfLink(bundle)) == Self.parameters(query.path), "\(label): self link \(Self.selfLink(bundle))")
                    #expect(bundle["link"]?.elements.contains { $0["relation"]?.stringValue == "next" } != true, "\(label): truncated")

                    // Every resource validates against its profile and passes the qualification lint, and no
                    // BSN leaves the gateway.
                    for entry in bundle["entry"]?.elements ?? [] {
                        let resource = try FHIRResource(try #require(entry["resource"]?.objectValue))
                        let name = "\(label) \(resource.resourceType)/\(resource.id ?? "")"
                        let errors = validator.validate(resource).filter { $0.severity == .error }
                        #expect(errors.isEmpty, "\(name): \(errors.prefix(3))")
                        #expect(QualificationLint.problems(in: resource) == [], "\(name)")
                    }
                    for bsn in bsns { #expect(!json.text.contains(bsn), "\(label) disclosed a BSN") }
                    if query.number == 1 { Self.expectMaskedBSN(bundle, label) }

                    // XML carries the same entries, element by element, and its self link echoes _format too.
                    let xml = try await gateway.request(.GET, "/fhir/\(query.path)\(query.path.contains("?") ? "&" : "?")_format=xml", token: token)
                    #expect(xml.status == 200, "\(label): XML \(xml.text.prefix(300))")
                    let xmlBundle = FHIRValue.object(try FHIRXML.parseResource(xml.body).content)
                    #expect(Self.counts(xmlBundle) == Self.counts(bundle), "\(label): XML entries differ from JSON")
                    let jsonEntries = Self.canonical(bundle["entry"] ?? .array([]))
                    let xmlEntries = Self.canonical(xmlBundle["entry"] ?? .array([]))
                    #expect(xmlEntries == jsonEntries, "\(label): XML entries differ from JSON in content")
                    #expect(xmlBundle["total"]?.numberValue?.intValue == matches.count, "\(label): XML total")
                    #expect(
                        Self.parameters(Self.selfLink(xmlBundle)) == Self.parameters(query.path) + ["_format=xml"],
                        "\(label): XML self link \(Self.selfLink(xmlBundle))")
                    for bsn in bsns { #expect(!xml.text.contains(bsn), "\(label) disclosed a BSN in XML") }
                }
            }
        }
    }

    /// The Patient of query #1 carries its BSN identifier with the system and the value masked with
    /// data-absent-reason, exactly as BSNMasking writes it (MedMij: never hand a BSN to a PGO app).
    static func expectMaskedBSN(_ bundle: FHIRValue, _ label: String) {
        let patients = (bundle["entry"]?.elements ?? []).compactMap(\.["resource"]).filter { $0["resourceType"] == "Patient" }
        #expect(patients.count == 1, "\(label)")
        let bsnIdentifiers = (patients.first?["identifier"]?.elements ?? []).filter {
            $0["system"]?.stringValue == "http://fhir.nl/fhir/NamingSystem/bsn"
        }
        let masked: FHIRValue = [
            "system": "http://fhir.nl/fhir/NamingSystem/bsn",
            "_value": ["extension": [["url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "masked"]]],
        ]
        #expect(bsnIdentifiers == [masked], "\(label): BSN identifier \(bsnIdentifiers)")
    }

    /// Each BgZ filter branch leaves something out in the demo data, so the expected counts above cannot
    /// pass with a filter that is ignored: the same search without the filter finds more.
    static let unfiltered: [(patient: String, path: String, count: Int)] = [
        ("pzc-kind-patient", "Immunization", 6),  // #18: kind-vacc-6 is entered-in-error
        ("pzc-kind-patient", "Encounter", 3),  // #24: EMER and AMB besides the ACUTE admission
        ("pzc-park-patient", "Encounter", 2),  // #24: AMB besides the IMP admission
        ("pzc-park-patient", "Procedure", 2),  // #23: a therapeutic procedure besides the surgical one
        ("pzc-wils-patient", "Observation?category=http://snomed.info/sct%7C275711006", 6),  // #22: the older potassium
    ]

    @Test("the filters of the BgZ queries leave out what they should: the unfiltered searches find more")
    func filtersExclude() async throws {
        try await GatewayHarness.withGateway(seed: Self.seedDemo) { gateway in
            for check in Self.unfiltered {
                let token = try await gateway.token(patient: check.patient)
                let bundle = try await gateway.request(.GET, "/fhir/\(check.path)", token: token).json()
                #expect(bundle["total"]?.numberValue?.intValue == check.count, "\(check.patient) \(check.path)")
            }
        }
    }

    static func selfLink(_ bundle: FHIRValue) -> String {
        bundle["link"]?.elements.first { $0["relation"]?.stringValue == "self" }?["url"]?.stringValue ?? ""
    }

    /// The value with every object's members sorted by key: FHIR JSON gives object members no order, and
    /// XML writes them in schema order; arrays keep theirs.
    static func canonical(_ value: FHIRValue) -> FHIRValue {
        switch value {
        case .object(let object):
            .object(FHIRObject(object.members.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: canonical($0.value)) }))
        case .array(let array): .array(array.map(canonical))
        default: value
        }
    }

    @Test("a token for one demo patient finds none of another patient's BgZ")
    func noCrossPatientLeak() async throws {
        try await GatewayHarness.withGateway(seed: Self.seedDemo) { gateway in
            let token = try await gateway.token(patient: "pzc-fert-patient")
            let conditions = try await gateway.request(.GET, "/fhir/Condition", token: token).json()
            let ids = (conditions["entry"]?.elements ?? []).compactMap { $0["resource"]?["id"]?.stringValue }
            #expect(!ids.isEmpty)
            #expect(ids.allSatisfy { $0.hasPrefix("pzc-fert-") })
            let other = try await gateway.request(.GET, "/fhir/Patient/pzc-park-patient", token: token)
            #expect(other.status == 404)
        }
    }

    @Test("every BgZ search paged two at a time yields exactly the single-page answer, includes on the page that needs them")
    func bgzQueriesPaged() async throws {
        try await GatewayHarness.withGateway(seed: Self.seedDemo) { gateway in
            for patient in Self.patients {
                let token = try await gateway.token(patient: patient)
                for query in Self.queries where !query.path.contains("$lastn") {
                    let label = "\(patient) #\(query.number) \(query.zib)"
                    let whole = try await gateway.request(.GET, "/fhir/\(query.path)", token: token).json()
                    let total = whole["total"]?.numberValue?.intValue ?? -1

                    var path: String? = "/fhir/\(query.path)\(query.path.contains("?") ? "&" : "?")_count=2"
                    var matches = [String]()
                    var included = Set<String>()
                    var pages = 0
                    while let current = path, pages <= total {
                        let page = try await gateway.request(.GET, current, token: token).json()
                        pages += 1
                        #expect(page["total"]?.numberValue?.intValue == total, "\(label) page \(pages): total")
                        let pageMatches = Self.references(page, mode: "match")
                        #expect(pageMatches.count <= 2, "\(label) page \(pages): more than _count matches")
                        matches += pageMatches
                        // An included resource is one this page's matches refer to.
                        let pageIncludes = Self.references(page, mode: "include")
                        let referred = Self.referenceValues(page, mode: "match")
                        #expect(pageIncludes.allSatisfy { referred.contains($0) }, "\(label) page \(pages): include without a match referring to it")
                        included.formUnion(pageIncludes)
                        path = Self.nextLink(page).map { String($0.dropFirst(gateway.backURL.count)) }
                    }
                    #expect(pages == max(1, (total + 1) / 2), "\(label): \(pages) pages for \(total) matches")
                    #expect(matches.count == Set(matches).count, "\(label): a match repeated across pages")
                    #expect(Set(matches) == Set(Self.references(whole, mode: "match")), "\(label): paged matches differ")
                    #expect(included == Set(Self.references(whole, mode: "include")), "\(label): paged includes differ")
                }
            }
        }
    }

    static func references(_ bundle: FHIRValue, mode: String) -> [String] {
        (bundle["entry"]?.elements ?? []).compactMap { entry in
            guard entry["search"]?["mode"]?.stringValue == mode,
                let type = entry["resource"]?["resourceType"]?.stringValue, let id = entry["resource"]?["id"]?.stringValue
            else { return nil }
            return "\(type)/\(id)"
        }
    }

    /// Every `reference` value anywhere in the entries of the given mode, as `Type/id`.
    static func referenceValues(_ bundle: FHIRValue, mode: String) -> Set<String> {
        func collect(_ value: FHIRValue, into found: inout Set<String>) {
            if let object = value.objectValue {
                for member in object {
                    if member.key == "reference", let reference = member.value.stringValue {
                        found.insert(reference.split(separator: "/").suffix(2).joined(separator: "/"))
                    } else {
                        collect(member.value, into: &found)
                    }
                }
            } else if let array = value.arrayValue {
                for element in array { collect(element, into: &found) }
            }
        }
        var found = Set<String>()
        for entry in bundle["entry"]?.elements ?? [] where entry["search"]?["mode"]?.stringValue == mode {
            if let resource = entry["resource"] { collect(resource, into: &found) }
        }
        return found
    }

    static func nextLink(_ bundle: FHIRValue) -> String? {
        bundle["link"]?.elements.first { $0["relation"]?.stringValue == "next" }?["url"]?.stringValue
    }

    /// The decoded name/value pairs of a URL's query, in order.
    static func parameters(_ url: String) -> [String] {
        guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return query.split(separator: "&").map { String($0).removingPercentEncoding ?? String($0) }
    }

    @Test("print the counts (development aid)", .enabled(if: ProcessInfo.processInfo.environment["ZORGNET_PRINT_BGZ"] == "1"))
    func printCounts() async throws {
        try await GatewayHarness.withGateway(seed: Self.seedDemo) { gateway in
            for patient in Self.patients {
                let token = try await gateway.token(patient: patient)
                for query in Self.queries {
                    let reply = try await gateway.request(.GET, "/fhir/\(query.path)", token: token)
                    let counts = reply.status == 200 ? Self.counts(try reply.json()) : ["status": reply.status]
                    print("BGZ \(patient) #\(query.number): \(counts.sorted { $0.key < $1.key })")
                }
            }
        }
    }
}
