import FHIR

/// The formats of `GET /audit/export`: one FHIR `AuditEvent` per line (NDJSON, as FHIR bulk data
/// writes it), or one event per CSV row for spreadsheets.
public enum AuditExportFormat: String, Sendable, CaseIterable {
    case ndjson
    case csv

    public var contentType: String {
        switch self {
        case .ndjson: "application/fhir+ndjson"
        case .csv: "text/csv; charset=utf-8"
        }
    }

    public static let csvColumns = [
        "sequence", "recorded", "kind", "outcome", "channel", "method", "path", "status", "party", "partyKind", "user", "patient",
        "entities", "consents", "decision", "requestID", "correlationID", "clientAddress", "detail",
    ]

    /// What comes before the first event: the CSV column names, nothing for NDJSON.
    public var header: String? {
        self == .csv ? Self.csvColumns.joined(separator: ",") + "\r\n" : nil
    }

    /// One event, with its line ending.
    public func line(_ record: AuditRecord) -> [UInt8] {
        switch self {
        case .ndjson:
            return AuditEventRendering.resources(record).flatMap { FHIRJSON.serialize(.object($0.content)) + [0x0A] }
        case .csv:
            let event = record.event
            let fields: [String] = [
                String(record.sequence), event.recorded, event.kind?.rawValue ?? "", AuditOutcome.of(event).rawValue, event.channel.rawValue,
                event.method, event.path, String(event.status), event.partyID ?? "", event.partyKind ?? "", event.userID ?? "",
                event.patientID ?? "", event.entities.joined(separator: " "),
                event.decision?.consents.map { "Consent/\($0.id)/_history/\($0.version)" }.joined(separator: " ") ?? "",
                event.decision?.outcome.rawValue ?? "", event.requestID ?? "", event.correlationID ?? "", event.clientAddress ?? "",
                event.detail ?? "",
            ]
            return Array((fields.map(Self.csvField).joined(separator: ",") + "\r\n").utf8)
        }
    }

    /// RFC 4180 quoting; a leading `=`, `+`, `-` or `@` is neutralised so a spreadsheet never runs it as a formula.
    public static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { ",\"\r\n".contains($0) }) || value != text else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
