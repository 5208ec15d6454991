import FHIR

/// The canonical bytes of an audit record, the input of its chain hash.
///
/// Compact JSON with a fixed member order, absent values written as `null` so that every field is
/// covered, and the sequence number included so that moving a record is as visible as editing it.
/// The encoding must never change for existing logs: a new field means a new version marker.
///
/// - `zorgnet-audit-1`: the original members. Still written for events without a consent decision,
///   so every record written before decisions existed keeps verifying byte for byte.
/// - `zorgnet-audit-2`: the same members plus `decision` (last). Used exactly when an event carries a
///   decision; the marker is hashed, so a record cannot be moved from one encoding to the other by
///   blanking or adding the decision column without breaking its chain hash.
/// - `zorgnet-audit-3`: members of 1, then `decision` (or null), `kind` and `user`. Used whenever an
///   event has a kind or a user, which every event written since kinds exist has.
enum CanonicalEncoding {
    static let version = "zorgnet-audit-1"
    static let versionWithDecision = "zorgnet-audit-2"
    static let versionWithKind = "zorgnet-audit-3"

    static func bytes(sequence: Int64, event: AuditEvent) -> [UInt8] {
        func optional(_ text: String?) -> FHIRValue { text.map(FHIRValue.string) ?? .null }
        let hasKind = event.kind != nil || event.userID != nil
        var object: FHIRObject = [
            "v": .string(hasKind ? versionWithKind : event.decision == nil ? version : versionWithDecision),
            "seq": .number(FHIRNumber(Int(sequence))),
            "recorded": .string(event.recorded),
            "channel": .string(event.channel.rawValue),
            "method": .string(event.method),
            "path": .string(event.path),
            "status": .number(FHIRNumber(event.status)),
            "party": optional(event.partyID),
            "partyKind": optional(event.partyKind),
            "certificate": optional(event.certificateFingerprint),
            "patient": optional(event.patientID),
            "entities": .array(event.entities.map(FHIRValue.string)),
            "clientAddress": optional(event.clientAddress),
            "requestID": optional(event.requestID),
            "correlationID": optional(event.correlationID),
            "detail": optional(event.detail),
        ]
        if hasKind {
            object["decision"] = event.decision.map(decisionValue) ?? .null
            object["kind"] = optional(event.kind?.rawValue)
            object["user"] = optional(event.userID)
        } else if let decision = event.decision {
            object["decision"] = decisionValue(decision)
        }
        return FHIRJSON.serialize(.object(object))
    }

    /// A decision as a JSON object with a fixed member order: both its canonical form and what the
    /// `decision` column stores.
    static func decisionValue(_ decision: ConsentDecisionRecord) -> FHIRValue {
        [
            "outcome": .string(decision.outcome.rawValue),
            "consents": .array(decision.consents.map { ["id": .string($0.id), "version": .number(FHIRNumber($0.version))] }),
            "permitted": .number(FHIRNumber(decision.permitted)),
            "denied": .number(FHIRNumber(decision.denied)),
        ]
    }
}

extension CanonicalEncoding {
    static func entitiesJSON(_ entities: [String]) -> [UInt8] {
        FHIRJSON.serialize(.array(entities.map(FHIRValue.string)))
    }

    /// Reads the stored entity list; anything that is not a JSON array of strings yields a marker
    /// that can never match the canonical bytes of a real record, so tampering surfaces in
    /// verification instead of being silently repaired.
    static func decodeEntities(_ text: String) -> [String] {
        guard let array = (try? FHIRJSON.parse(Array(text.utf8)))?.arrayValue else { return ["\u{0}unreadable"] }
        let strings = array.compactMap(\.stringValue)
        return strings.count == array.count ? strings : ["\u{0}unreadable"]
    }

    static func decisionJSON(_ decision: ConsentDecisionRecord) -> String {
        String(decoding: FHIRJSON.serialize(decisionValue(decision)), as: UTF8.self)
    }

    /// Reads the stored decision; nil when the text is not one ``decisionJSON(_:)`` writes (the
    /// caller treats that as an unreadable record rather than guessing a decision).
    static func decodeDecision(_ text: String) -> ConsentDecisionRecord? {
        guard let value = try? FHIRJSON.parse(Array(text.utf8)),
            let outcome = value["outcome"]?.stringValue.flatMap(ConsentDecisionRecord.Outcome.init(rawValue:)),
            let permitted = value["permitted"]?.numberValue?.intValue,
            let denied = value["denied"]?.numberValue?.intValue,
            let consentValues = value["consents"]?.arrayValue
        else { return nil }
        var consents = [ConsentVersion]()
        for consent in consentValues {
            guard let id = consent["id"]?.stringValue, let version = consent["version"]?.numberValue?.intValue else { return nil }
            consents.append(ConsentVersion(id: id, version: version))
        }
        let decision = ConsentDecisionRecord(outcome: outcome, consents: consents, permitted: permitted, denied: denied)
        // Only the exact bytes this encoder writes count as readable: anything else was edited.
        return decisionJSON(decision) == text ? decision : nil
    }
}
