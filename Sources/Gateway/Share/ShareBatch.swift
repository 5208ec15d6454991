import FHIR
import Foundation

/// The `batch` Bundle a share sends, and the reading of the provider's `batch-response`.
enum ShareBatch {
    /// One `POST Observation` entry per measurement. What only this gateway can resolve is left out:
    /// the id and version (the provider assigns its own), the `subject` (the provider takes the patient
    /// from the token, MedMij core.rscint.203) and references to the patient's record here (the
    /// provider's id of the patient is not known to us). The profiles stay, so the provider can check them.
    static func bundle(_ measurements: [ShareMeasurement], patientID: String) -> FHIRValue {
        let own = "Patient/\(patientID)"
        let entries: [FHIRValue] = measurements.map { measurement in
            var resource = measurement.content
            resource.id = nil
            resource.versionId = nil
            resource.lastUpdated = nil
            var object = resource.content
            object["subject"] = nil
            if let performers = object["performer"]?.arrayValue {
                let kept = performers.filter { $0["reference"]?.stringValue != own }
                object["performer"] = kept.isEmpty ? nil : .array(kept)
            }
            return [
                "fullUrl": .string("urn:uuid:\(UUID().uuidString.lowercased())"),
                "resource": .object(object),
                "request": ["method": "POST", "url": "Observation"],
            ]
        }
        return ["resourceType": "Bundle", "type": "batch", "entry": .array(entries)]
    }

    /// The status of each entry, in the order sent. A response that is not a batch-response with
    /// exactly one entry per measurement is refused as a whole: which entry it speaks of is unknown.
    static func outcomes(_ response: FHIRResource, sent: [ShareMeasurement]) throws(ShareError) -> [ShareEntryOutcome] {
        guard response.resourceType == "Bundle", response["type"]?.stringValue == "batch-response" else {
            throw .malformedResponse("a \(response.resourceType) of type \(response["type"]?.stringValue ?? "-")")
        }
        let entries = response["entry"]?.elements ?? []
        guard entries.count == sent.count else { throw .malformedResponse("\(entries.count) entries for \(sent.count) sent") }
        return try zip(entries, sent).map { entry, measurement throws(ShareError) in
            // "201 Created": the code is the first word.
            guard let text = entry["response"]?["status"]?.stringValue, let status = Int(text.prefix { $0.isNumber }), (100...599).contains(status)
            else { throw .malformedResponse("an entry without a status") }
            return ShareEntryOutcome(measurement: measurement, status: status)
        }
    }
}
