import FHIR
import Foundation
import Store

/// What a push leaves besides the data: the STU3 Provenance that says who brought it, when and in which
/// Bundle, and the transaction-response the sender gets (and gets again on a retry).
///
/// ```swift
/// let provenance = PushProvenance(sender: sender, identifier: bundle.identifier, patientID: "p1", recorded: now, senderEntry: 1)
/// let resource = provenance.resource(for: outcomes)
/// ```
struct PushProvenance: Sendable {
    /// The pushing organisation as the registry knows it.
    struct Sender: Sendable, Hashable {
        let ura: String
        let name: String
    }

    static let uraSystem = "http://fhir.nl/fhir/NamingSystem/ura"

    let sender: Sender
    let identifier: PushIdentifier
    let patientID: String
    let recorded: Date
    /// The Bundle entry holding the sender's own Organization (same URA), if it sent one: the
    /// Provenance then refers to it, so a PGO app sees the source organisation like any other.
    let senderEntry: Int?
    let provenanceID: String

    init(sender: Sender, identifier: PushIdentifier, patientID: String, recorded: Date, senderEntry: Int?,
         provenanceID: String = UUID().uuidString.lowercased()) {
        self.sender = sender
        self.identifier = identifier
        self.patientID = patientID
        self.recorded = recorded
        self.senderEntry = senderEntry
        self.provenanceID = provenanceID
    }

    /// The entry of `bundle` that is the sender's Organization: an Organization identified by its URA.
    static func senderEntry(in bundle: PushBundle, ura: String) -> Int? {
        bundle.entries.first { entry in
            entry.resource.resourceType == "Organization"
                && (entry.resource["identifier"]?.elements ?? []).contains {
                    $0["system"]?.stringValue == uraSystem && $0["value"]?.stringValue == ura
                }
        }?.index
    }

    /// The Provenance: every created resource (version-specific) as target, and the patient's record
    /// itself, since the push added to it; the organisation by URA and name as the agent; the Bundle
    /// by its identifier as the source entity.
    ///
    /// The Patient target is also what puts the Provenance in the patient's compartment (STU3 places
    /// a Provenance there through `target`), so the patient's apps can read where their data came from.
    func resource(for outcomes: [PushEntryOutcome]) -> FHIRResource {
        var targets: [FHIRValue] = outcomes.compactMap { outcome in
            guard case .created(_, let stored) = outcome else { return nil }
            return ["reference": .string("\(stored.reference)/_history/\(stored.version)")]
        }
        targets.append(["reference": .string("Patient/\(patientID)")])
        var who: FHIRObject = [
            "identifier": ["system": .string(Self.uraSystem), "value": .string(sender.ura)],
            "display": .string(sender.name),
        ]
        if let senderEntry, let organization = outcomes.first(where: { $0.bundleIndex == senderEntry })?.stored {
            who.insert(.string(organization.reference), forKey: "reference", at: 0)
        }
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
            "entity": [[
                "role": "source",
                "whatIdentifier": ["system": .string(identifier.system), "value": .string(identifier.value)],
            ]],
        ]
        // The literal has a well-formed resourceType.
        return (try? FHIRResource(content)) ?? OperationOutcome(severity: .fatal, code: .exception, diagnostics: "provenance unavailable").resource
    }

    /// The transaction-response: one entry per request entry, in order. A created resource answers
    /// `201 Created` with its location and version; a conditional create that matched, `200 OK` with
    /// the match's location; the Patient `200 OK` without a location (it was matched to a record, and
    /// the record's id is not the sender's business).
    static func response(
        _ outcomes: [PushEntryOutcome], entryCount: Int, format: FHIRFormat, pretty: Bool, responseID: String = UUID().uuidString.lowercased()
    ) -> PushResponse {
        let byIndex = Dictionary(outcomes.map { ($0.bundleIndex, $0) }, uniquingKeysWith: { first, _ in first })
        let entries: [FHIRValue] = (0..<entryCount).map { index in
            guard let outcome = byIndex[index] else { return ["response": ["status": "200 OK"]] }
            let stored = outcome.stored
            var response: FHIRObject = [
                "status": .string(outcome.isCreated ? "201 Created" : "200 OK"),
                "location": .string("\(stored.reference)/_history/\(stored.version)"),
                "etag": .string(FHIRResponses.etag(version: stored.version)),
            ]
            if !stored.lastUpdated.isEmpty { response["lastModified"] = .string(stored.lastUpdated) }
            return ["response": .object(response)]
        }
        let bundle: FHIRObject = [
            "resourceType": "Bundle", "id": .string(responseID), "type": "transaction-response", "entry": .array(entries),
        ]
        let resource = (try? FHIRResource(bundle)) ?? OperationOutcome(severity: .fatal, code: .exception, diagnostics: "response unavailable").resource
        return PushResponse(format: format, bytes: format.serialize(resource, pretty: pretty))
    }
}

extension PushEntryOutcome {
    var isCreated: Bool {
        if case .created = self { return true }
        return false
    }
}
