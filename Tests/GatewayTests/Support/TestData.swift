import FHIR
import Foundation
import Store

/// A small, hand-made data set: two patients, each with observations, and a GP shared by reference.
enum TestData {
    static let bsnOfP1 = "999911120"

    static func patient(_ id: String, family: String, bsn: String, gp: String?) -> FHIRValue {
        var object: FHIRObject = [
            "resourceType": "Patient", "id": .string(id),
            "meta": ["profile": ["http://fhir.nl/fhir/StructureDefinition/nl-core-patient"]],
            "identifier": [["system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": .string(bsn)]],
            "name": [["family": .string(family), "given": ["Test"]]],
            "gender": "female", "birthDate": "1958-03-14",
        ]
        if let gp { object["generalPractitioner"] = [["reference": .string("Practitioner/\(gp)"), "display": "Huisarts"]] }
        return .object(object)
    }

    static func bloodPressure(_ id: String, patient: String, date: String, systolic: String) -> FHIRValue {
        [
            "resourceType": "Observation", "id": .string(id),
            "meta": ["profile": ["http://nictiz.nl/fhir/StructureDefinition/zib-BloodPressure"]],
            "status": "final",
            "category": [["coding": [["system": "http://hl7.org/fhir/observation-category", "code": "vital-signs", "display": "Vital Signs"]]]],
            "code": ["coding": [["system": "http://loinc.org", "code": "85354-9", "display": "Blood pressure panel"]]],
            "subject": ["reference": .string("Patient/\(patient)"), "display": "patient"],
            "effectiveDateTime": .string(date),
            "performer": [["reference": "Practitioner/gp1", "display": "Huisarts"]],
            "component": [
                [
                    "code": ["coding": [["system": "http://loinc.org", "code": "8480-6", "display": "Systolic"]]],
                    "valueQuantity": ["value": .number(FHIRNumber(text: systolic)!), "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"],
                ]
            ],
        ]
    }

    static let practitioner: FHIRValue = [
        "resourceType": "Practitioner", "id": "gp1",
        "identifier": [["system": "http://fhir.nl/fhir/NamingSystem/uzi-nr-pers", "value": "123456789"]],
        "name": [["family": "Huisarts", "given": ["Hanna"]]],
    ]

    static let unreferencedPractitioner: FHIRValue = [
        "resourceType": "Practitioner", "id": "gp-other",
        "name": [["family": "Elders", "given": ["Eva"]]],
    ]

    static var resources: [FHIRValue] {
        [
            practitioner, unreferencedPractitioner,
            patient("p1", family: "Jansen", bsn: bsnOfP1, gp: "gp1"),
            patient("p2", family: "Bakker", bsn: "999911132", gp: nil),
            bloodPressure("bp-p1-1", patient: "p1", date: "2026-10-01T09:30:00+02:00", systolic: "128"),
            bloodPressure("bp-p1-2", patient: "p1", date: "2026-11-01T09:30:00+01:00", systolic: "132.0"),
            bloodPressure("bp-p1-3", patient: "p1", date: "2025-06-15", systolic: "141"),
            bloodPressure("bp-p2-1", patient: "p2", date: "2026-10-02T10:00:00+02:00", systolic: "150"),
        ]
    }

    static func seed(_ database: GatewayDatabase) async throws {
        let incoming = try resources.map { value -> IncomingResource in
            let resource = try FHIRResource(value.objectValue ?? [:])
            return IncomingResource(resource: resource, receivedFormat: .json, receivedBytes: FHIRJSON.serialize(resource))
        }
        _ = try await ResourceRepository(database: database).store(incoming)
    }
}
