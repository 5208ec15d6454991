import FHIR
import Foundation
import Store

/// The STU3 Provenance of one BgZ query's answer, stored with it: the patient's apps see where
/// collected data came from the same way they see it for a push (``PushProvenance``).
///
/// Targets are the stored versions and the patient's record (which puts the Provenance in the
/// patient's compartment); the agent is the provider by URA and name; the source entity is the query
/// as it was sent (a URL under the provider's FHIR base, which never carries a BSN or patient id).
struct CollectProvenance: Sendable {
    let providerName: String
    let ura: String?
    let patientID: String
    let queryURL: String
    let recorded: Date
    let provenanceID: String

    init(providerName: String, ura: String?, patientID: String, queryURL: String, recorded: Date, provenanceID: String = UUID().uuidString.lowercased()) {
        self.providerName = providerName
        self.ura = ura
        self.patientID = patientID
        self.queryURL = queryURL
        self.recorded = recorded
        self.provenanceID = provenanceID
    }

    func resource(for stored: [StoredResource]) -> FHIRResource {
        var targets: [FHIRValue] = stored.map { ["reference": .string("\($0.reference)/_history/\($0.version)")] }
        targets.append(["reference": .string("Patient/\(patientID)")])
        var who: FHIRObject = ["display": .string(providerName)]
        if let ura { who.insert(["system": .string(PushProvenance.uraSystem), "value": .string(ura)], forKey: "identifier", at: 0) }
        let content: FHIRObject = [
            "resourceType": "Provenance",
            "id": .string(provenanceID),
            "target": .array(targets),
            "recorded": .string(Instant.format(recorded)),
            "activity": ["system": "http://hl7.org/fhir/v3/DataOperation", "code": "CREATE", "display": "create"],
            "agent": [[
                "role": [["coding": [["system": "http://hl7.org/fhir/v3/ParticipationType", "code": "AUT", "display": "author"]]]],
                "whoReference": .object(who),
            ]],
            "entity": [["role": "source", "whatUri": .string(queryURL)]],
        ]
        // The literal has a well-formed resourceType.
        return (try? FHIRResource(content)) ?? OperationOutcome(severity: .fatal, code: .exception, diagnostics: "provenance unavailable").resource
    }
}
