import FHIR

/// The canonical bytes of an audit record, the input of its chain hash.
///
/// Compact JSON with a fixed member order, absent values written as `null` so that every field is
/// covered, and the sequence number included so that moving a record is as visible as editing it.
/// The encoding must never change for existing logs: a new field means a new version marker.
enum CanonicalEncoding {
    static let version = "zorgnet-audit-1"

    static func bytes(sequence: Int64, event: AuditEvent) -> [UInt8] {
        func optional(_ text: String?) -> FHIRValue { text.map(FHIRValue.string) ?? .null }
        let object: FHIRObject = [
            "v": .string(version),
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
        return FHIRJSON.serialize(.object(object))
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
}
