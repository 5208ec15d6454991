import FHIR
import Foundation

@testable import Consent

/// Dates, records and zib2017-shaped resources shared by the consent tests.
enum Fixture {
    static func date(_ text: String) -> Date {
        guard let range = DateRange(fhirDate: text) else { fatalError("bad fixture date \(text)") }
        return Date(timeIntervalSince1970: Double(range.lowerBound) / 1_000)
    }

    static let now = date("2026-06-01T12:00:00Z")
    static let app: ConsentActor = .pgoApp("app-1")

    static func record(
        _ id: String, version: Int = 1, patient: String = "p1", status: ConsentStatus = .active,
        validity: ConsentPeriod = ConsentPeriod(start: date("2026-01-01")), _ root: Provision
    ) -> ConsentRecord {
        ConsentRecord(
            id: id, version: version, patientID: patient, status: status, recordedAt: date("2026-01-01"),
            validity: validity, root: root)
    }

    static func request(
        _ categories: Set<DataCategory>, actor: ConsentActor = app, action: ConsentAction = .collect,
        dataDate: String? = nil, referencedBy: Decision? = nil
    ) -> AccessRequest {
        AccessRequest(
            patientID: "p1", actor: actor, action: action, categories: categories,
            dataDate: dataDate.flatMap(DateRange.init(fhirDate:)), referencedBy: referencedBy)
    }

    static func resource(_ value: FHIRValue) -> FHIRResource {
        guard let object = value.objectValue, let resource = try? FHIRResource(object) else {
            fatalError("fixture is not a resource")
        }
        return resource
    }

    static func coding(_ system: String, _ code: String) -> FHIRValue {
        ["coding": [["system": .string(system), "code": .string(code)]]]
    }

    static func observation(profile: String? = nil, category: FHIRValue? = nil, loinc: String? = nil, performer: String? = nil)
        -> FHIRResource
    {
        var object: FHIRObject = ["resourceType": "Observation", "id": "o1"]
        if let profile { object["meta"] = ["profile": [.string("http://nictiz.nl/fhir/StructureDefinition/" + profile)]] }
        object["status"] = "final"
        if let category { object["category"] = [category] }
        object["code"] = loinc.map { coding("http://loinc.org", $0) } ?? ["text": "iets"]
        object["subject"] = ["reference": "Patient/p1"]
        object["effectiveDateTime"] = "2019-03-01T10:00:00+01:00"
        if let performer { object["performer"] = [["reference": .string(performer)]] }
        return resource(.object(object))
    }
}
