import FHIR
import Foundation
import Store

/// Data beyond ``TestData`` for the consent tests: a coverage whose payors are the patient and an
/// insurer, and a long mixed series of vital-sign and laboratory observations for paging.
enum ConsentTestData {
    static let insurer: FHIRValue = [
        "resourceType": "Organization", "id": "insurer",
        "identifier": [["system": "http://fhir.nl/fhir/NamingSystem/uzovi", "value": "0104"]],
        "name": "Zorgverzekeraar",
    ]

    static let coverage: FHIRValue = [
        "resourceType": "Coverage", "id": "cov-p1", "status": "active",
        "beneficiary": ["reference": "Patient/p1"],
        "payor": [["reference": "Organization/insurer"], ["reference": "Patient/p1"]],
    ]

    /// A laboratory result (category `laboratory`), which a vital-signs consent does not cover.
    static func labResult(_ id: String, patient: String, date: String) -> FHIRValue {
        [
            "resourceType": "Observation", "id": .string(id), "status": "final",
            "category": [["coding": [["system": "http://hl7.org/fhir/observation-category", "code": "laboratory"]]]],
            "code": ["coding": [["system": "http://loinc.org", "code": "2345-7", "display": "Glucose"]]],
            "subject": ["reference": .string("Patient/\(patient)")],
            "effectiveDateTime": .string(date),
            "valueQuantity": ["value": .number(FHIRNumber(text: "5.4")!), "unit": "mmol/L", "system": "http://unitsofmeasure.org", "code": "mmol/L"],
        ]
    }

    static func store(_ values: [FHIRValue], in database: GatewayDatabase) async throws {
        let incoming = try values.map { value -> IncomingResource in
            let resource = try FHIRResource(value.objectValue ?? [:])
            return IncomingResource(resource: resource, receivedFormat: .json, receivedBytes: FHIRJSON.serialize(resource))
        }
        _ = try await ResourceRepository(database: database).store(incoming)
    }

    /// ``TestData`` plus the insurer and p1's coverage.
    static func seed(_ database: GatewayDatabase) async throws {
        try await TestData.seed(database)
        try await store([insurer, coverage], in: database)
    }

    /// ``TestData`` plus, for p1, ten vital signs and ten lab results on alternating days of January 2024,
    /// so that every page of a date-sorted search meets refused matches between permitted ones.
    static func seedManyObservations(_ database: GatewayDatabase) async throws {
        try await TestData.seed(database)
        var values = [FHIRValue]()
        for day in 1...10 {
            values.append(TestData.bloodPressure("vital-\(day)", patient: "p1", date: String(format: "2024-01-%02d", 2 * day - 1), systolic: "120"))
            values.append(labResult("lab-\(day)", patient: "p1", date: String(format: "2024-01-%02d", 2 * day)))
        }
        try await store(values, in: database)
    }
}
