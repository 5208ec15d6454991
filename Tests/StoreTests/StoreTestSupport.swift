import FHIR
import Foundation
import Store

/// A fresh `gateway.sqlite` in its own temporary directory.
func makeDatabase() throws -> GatewayDatabase {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return try GatewayDatabase(path: directory + "/gateway.sqlite")
}

func incoming(_ value: FHIRValue) throws -> IncomingResource {
    let resource = try FHIRResource(value.objectValue ?? [:])
    return IncomingResource(resource: resource, receivedFormat: .json, receivedBytes: FHIRJSON.serialize(resource))
}

/// A varied population for search tests: names with particles and diacritics, observations with and
/// without codes, dates of every precision, references relative and absolute.
enum Population {
    static func patient(_ id: String, family: String, given: String, gender: String, birthDate: String, gp: String? = nil) -> FHIRValue {
        var object: FHIRObject = [
            "resourceType": "Patient", "id": .string(id),
            "identifier": [["system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": .string("99991\(id.count)120")]],
            "name": [["family": .string(family), "given": [.string(given)]]],
            "gender": .string(gender), "birthDate": .string(birthDate), "active": true,
        ]
        if let gp { object["generalPractitioner"] = [["reference": .string(gp), "display": "GP"]] }
        return .object(object)
    }

    static func observation(_ id: String, subject: String, code: (String, String)?, effective: FHIRValue?, systolic: String? = nil)
        -> FHIRValue
    {
        var object: FHIRObject = ["resourceType": "Observation", "id": .string(id), "status": "final"]
        if let (system, value) = code { object["code"] = ["coding": [["system": .string(system), "code": .string(value)]]] }
        object["subject"] = ["reference": .string(subject), "display": "patient"]
        if let effective {
            if effective.objectValue != nil { object["effectivePeriod"] = effective } else { object["effectiveDateTime"] = effective }
        }
        if let systolic {
            object["valueQuantity"] = ["value": .number(FHIRNumber(text: systolic) ?? FHIRNumber(0)), "system": "http://unitsofmeasure.org", "code": "mm[Hg]"]
        }
        return .object(object)
    }

    static let loinc = "http://loinc.org"

    static var resources: [FHIRValue] {
        [
            ["resourceType": "Practitioner", "id": "gp1", "name": [["family": "Huisarts"]]],
            ["resourceType": "Practitioner", "id": "gp2", "name": [["family": "Elders"]]],
            ["resourceType": "Medication", "id": "med1", "code": ["text": "metformine"]],
            patient("p1", family: "Jansen", given: "Jan", gender: "male", birthDate: "1958-03-14", gp: "Practitioner/gp1"),
            patient("p2", family: "Müller", given: "Élodie", gender: "female", birthDate: "1958"),
            patient("p3", family: "van der Berg", given: "Thomas", gender: "male", birthDate: "1981-02-17"),
            patient("p4", family: "Janssens", given: "Anna", gender: "female", birthDate: "2001-12", gp: "https://elders.example/fhir/Practitioner/gp2"),
            observation("o1", subject: "Patient/p1", code: (loinc, "85354-9"), effective: "2026-10-01T09:30:00+02:00", systolic: "128"),
            observation("o2", subject: "Patient/p1", code: (loinc, "85354-9"), effective: "2026-11-01", systolic: "132.0"),
            observation("o3", subject: "Patient/p1", code: (loinc, "29463-7"), effective: "2025", systolic: nil),
            observation("o4", subject: "Patient/p2", code: (loinc, "85354-9"), effective: ["start": "2026-10-15", "end": "2026-10-20"], systolic: "150"),
            observation("o5", subject: "Patient/p2", code: nil, effective: ["start": "2026-09-01"], systolic: nil),
            observation("o6", subject: "Patient/p3", code: ("http://snomed.info/sct", "85354-9"), effective: nil, systolic: "99.5"),
            observation("o7", subject: "https://elsewhere.example/fhir/Patient/p1", code: (loinc, "85354-9"), effective: "2026-10-01", systolic: "140"),
            [
                "resourceType": "MedicationStatement", "id": "ms1", "status": "active",
                "medicationReference": ["reference": "Medication/med1", "display": "metformine"],
                "subject": ["reference": "Patient/p1", "display": "Jan Jansen"],
                "taken": "y",
            ],
        ]
    }

    static func seed(_ database: GatewayDatabase) async throws -> ResourceRepository {
        let repository = ResourceRepository(database: database)
        _ = try await repository.store(try resources.map(incoming))
        return repository
    }
}
