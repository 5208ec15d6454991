import FHIR
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
    static let queries: [(number: Int, zib: String, path: String)] = [
        (1, "Patient", "Patient?_include=Patient:general-practitioner"),
        (2, "Betaler", "Coverage?_include=Coverage:payor:Patient&_include=Coverage:payor:Organization"),
        (3, "BehandelAanwijzing", "Consent?category=http://snomed.info/sct%7C11291000146105"),
        (4, "Wilsverklaring", "Consent?category=http://snomed.info/sct%7C11341000146107"),
        (5, "FunctioneleOfMentaleStatus", "Observation/$lastn?category=http://snomed.info/sct%7C118228005,http://snomed.info/sct%7C384821006"),
        (6, "Probleem", "Condition"),
        (7, "Woonsituatie", "Observation/$lastn?code=http://snomed.info/sct%7C365508006"),
        (8, "DrugsGebruik", "Observation?code=http://snomed.info/sct%7C228366006"),
        (9, "AlcoholGebruik", "Observation?code=http://snomed.info/sct%7C228273003"),
        (10, "TabakGebruik", "Observation?code=http://snomed.info/sct%7C365980008"),
        (11, "Voedingsadvies", "NutritionOrder"),
        (12, "Alert", "Flag"),
        (13, "AllergieIntolerantie", "AllergyIntolerance"),
        (14, "MedicatieGebruik", "MedicationStatement?category=urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3%7C6&_include=MedicationStatement:medication"),
        (15, "Medicatieafspraak", "MedicationRequest?category=http://snomed.info/sct%7C16076005&_include=MedicationRequest:medication"),
        (16, "Toedieningsafspraak", "MedicationDispense?category=http://snomed.info/sct%7C422037009&_include=MedicationDispense:medication"),
        (17, "MedischHulpmiddel", "DeviceUseStatement?_include=DeviceUseStatement:device"),
        (18, "Vaccinatie", "Immunization?status=completed"),
        (19, "Bloeddruk", "Observation/$lastn?code=http://loinc.org%7C85354-9"),
        (20, "Lichaamsgewicht", "Observation/$lastn?code=http://loinc.org%7C29463-7"),
        (21, "Lichaamslengte", "Observation/$lastn?code=http://loinc.org%7C8302-2,http://loinc.org%7C8306-3,http://loinc.org%7C8308-9"),
        (22, "LaboratoriumUitslag", "Observation/$lastn?category=http://snomed.info/sct%7C275711006&_include=Observation:related-target&_include=Observation:specimen"),
        (23, "Verrichting", "Procedure?category=http://snomed.info/sct%7C387713003"),
        (24, "Contact", "Encounter?class=http://hl7.org/fhir/v3/ActCode%7CIMP,http://hl7.org/fhir/v3/ActCode%7CACUTE,http://hl7.org/fhir/v3/ActCode%7CNONAC"),
        (25, "Geplande zorg: verrichting", "ProcedureRequest?status=active"),
        (26, "Geplande zorg: vaccinatie", "ImmunizationRecommendation"),
        (27, "Geplande zorg: afspraak", "Appointment?status=booked,pending,proposed"),
        (28, "Geplande zorg: hulpmiddel", "DeviceRequest?status=active&_include=DeviceRequest:device"),
    ]

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
    /// Written down from the demo PZCs in Fixtures/pzc (see their README for the stories).
    static let expected: [String: [Int: [String: Int]]] = [
        "pzc-park-patient": [
            1: ["Patient:match": 1, "Practitioner:include": 1],
            2: ["Coverage:match": 1, "Organization:include": 1],
            5: ["Observation:match": 2],
            6: ["Condition:match": 6],
            7: ["Observation:match": 1],
            9: ["Observation:match": 1],
            10: ["Observation:match": 1],
            11: ["NutritionOrder:match": 1],
            12: ["Flag:match": 1],
            14: ["Medication:include": 5, "MedicationStatement:match": 5],
            17: ["Device:include": 1, "DeviceUseStatement:match": 1],
            18: ["Immunization:match": 2],
            19: ["Observation:match": 1],
            20: ["Observation:match": 1],
            22: ["Observation:match": 2, "Specimen:include": 2],
            23: ["Procedure:match": 1],
            24: ["Encounter:match": 1],
        ],
        "pzc-fert-patient": [
            1: ["Patient:match": 1],
            6: ["Condition:match": 4],
            9: ["Observation:match": 1],
            10: ["Observation:match": 1],
            14: ["Medication:include": 5, "MedicationStatement:match": 5],
            20: ["Observation:match": 1],
            21: ["Observation:match": 1],
        ],
        "pzc-diab-patient": [
            1: ["Patient:match": 1, "Practitioner:include": 1],
            2: ["Coverage:match": 1, "Organization:include": 1],
            6: ["Condition:match": 3],
            9: ["Observation:match": 1],
            10: ["Observation:match": 1],
            11: ["NutritionOrder:match": 1],
            13: ["AllergyIntolerance:match": 1],
            14: ["Medication:include": 3, "MedicationStatement:match": 3],
            17: ["Device:include": 1, "DeviceUseStatement:match": 1],
            18: ["Immunization:match": 2],
            19: ["Observation:match": 1],
            20: ["Observation:match": 1],
            22: ["Observation:match": 5, "Specimen:include": 5],
        ],
        "pzc-wils-patient": [
            1: ["Patient:match": 1, "Practitioner:include": 1],
            2: ["Coverage:match": 1, "Organization:include": 1],
            3: ["Consent:match": 4],
            4: ["Consent:match": 2],
            5: ["Observation:match": 1],
            6: ["Condition:match": 5],
            7: ["Observation:match": 1],
            11: ["NutritionOrder:match": 1],
            14: ["Medication:include": 5, "MedicationStatement:match": 5],
            17: ["Device:include": 1, "DeviceUseStatement:match": 1],
            18: ["Immunization:match": 2],
            19: ["Observation:match": 1],
            20: ["Observation:match": 1],
            22: ["Observation:match": 4, "Specimen:include": 4],
            24: ["Encounter:match": 1],
        ],
        "pzc-kind-patient": [
            1: ["Patient:match": 1, "Practitioner:include": 1],
            2: ["Coverage:match": 1, "Organization:include": 1],
            6: ["Condition:match": 3],
            7: ["Observation:match": 1],
            12: ["Flag:match": 1],
            13: ["AllergyIntolerance:match": 1],
            14: ["Medication:include": 4, "MedicationStatement:match": 4],
            18: ["Immunization:match": 5],
            20: ["Observation:match": 1],
            21: ["Observation:match": 1],
        ],
    ]

    @Test("all 28 queries answer every demo patient with exactly the expected entries, the same in JSON and XML")
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

                    // total counts matches only, and the self link echoes every parameter.
                    let matches = (bundle["entry"]?.elements ?? []).filter { $0["search"]?["mode"]?.stringValue == "match" }
                    #expect(bundle["total"]?.numberValue?.intValue == matches.count, "\(label)")
                    let selfLink = bundle["link"]?.elements.first { $0["relation"]?.stringValue == "self" }?["url"]?.stringValue ?? ""
                    #expect(Self.parameters(selfLink) == Self.parameters(query.path), "\(label): self link \(selfLink)")
                    #expect(bundle["link"]?.elements.contains { $0["relation"]?.stringValue == "next" } != true, "\(label): truncated")

                    // Every resource validates against its profile, and no BSN leaves the gateway.
                    for entry in bundle["entry"]?.elements ?? [] {
                        let resource = try FHIRResource(try #require(entry["resource"]?.objectValue))
                        let errors = validator.validate(resource).filter { $0.severity == .error }
                        #expect(errors.isEmpty, "\(label) \(resource.resourceType)/\(resource.id ?? ""): \(errors.prefix(3))")
                    }
                    for bsn in bsns { #expect(!json.text.contains(bsn), "\(label) disclosed a BSN") }

                    // XML carries the same resources.
                    let xml = try await gateway.request(.GET, "/fhir/\(query.path)\(query.path.contains("?") ? "&" : "?")_format=xml", token: token)
                    let xmlBundle = FHIRValue.object(try FHIRXML.parseResource(xml.body).content)
                    #expect(Self.counts(xmlBundle) == Self.counts(bundle), "\(label): XML entries differ from JSON")
                    #expect(Self.references(xmlBundle) == Self.references(bundle), "\(label): XML differs from JSON")
                    #expect(xmlBundle["total"]?.numberValue?.intValue == matches.count, "\(label): XML total")
                    for bsn in bsns { #expect(!xml.text.contains(bsn), "\(label) disclosed a BSN in XML") }
                }
            }
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

    /// The decoded name/value pairs of a URL's query, in order.
    static func parameters(_ url: String) -> [String] {
        guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return query.split(separator: "&").map { String($0).removingPercentEncoding ?? String($0) }
    }

    static func references(_ bundle: FHIRValue) -> Set<String> {
        Set((bundle["entry"]?.elements ?? []).compactMap { entry in
            guard let type = entry["resource"]?["resourceType"]?.stringValue, let id = entry["resource"]?["id"]?.stringValue else { return nil }
            return "\(type)/\(id)"
        })
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
