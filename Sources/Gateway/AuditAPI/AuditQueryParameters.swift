import Audit

/// The search parameters of `GET /audit/AuditEvent` and `GET /audit/export`, read into an
/// ``AuditQuery``. Unknown parameters and values are refused, each named, like any FHIR search here.
///
/// - `date=geX`, `date=leX`, `date=X` (eq: within X): `recorded` bounds, X an instant or a prefix of one;
/// - `patient` (the patient id), `agent` (a party id or `citizen:…`/`professional:…`), `entity` (`Type/id`);
/// - `type` (a kind group: `fhir`, `consent`, `oauth`, …) and `subtype` (a kind: `consent.revoke`), comma OR;
/// - `outcome` (`0`, `4`, `8`), comma OR; `_count` (1–1000) and `_cursor` (paging).
struct AuditQueryParameters {
    var query = AuditQuery()
    var count = 50
    /// Parameters that shape the answer, not the query.
    static let transport: Set<String> = ["_format", "_pretty", "format"]
    static let known: Set<String> = ["date", "patient", "agent", "entity", "type", "subtype", "outcome", "_count", "_cursor", "since", "until"]

    init(_ parameters: [(name: String, value: String)]) throws(GatewayError) {
        let unknown = parameters.map(\.name).filter { !Self.known.contains($0) && !Self.transport.contains($0) }
        guard unknown.isEmpty else {
            throw GatewayError(.badRequest, .notSupported, "unknown audit search parameter(s): \(Set(unknown).sorted().joined(separator: ", "))")
        }
        var types: [String] = []
        var subtypes: [String] = []
        for (name, value) in parameters {
            switch name {
            case "date": try date(value)
            case "since": query.since = value
            case "until": query.until = value
            case "patient": query.patientID = value
            case "agent": query.agent = value
            case "entity": query.entity = value
            case "type": types += value.split(separator: ",").map(String.init)
            case "subtype": subtypes += value.split(separator: ",").map(String.init)
            case "outcome":
                for code in value.split(separator: ",") {
                    guard let outcome = AuditOutcome(rawValue: String(code)) else {
                        throw GatewayError.invalid("outcome must be 0 (success), 4 (refused) or 8 (failed), not \(code)")
                    }
                    query.outcomes.append(outcome)
                }
            case "_count":
                guard let number = Int(value), (1...1000).contains(number) else { throw GatewayError.invalid("_count must be 1 to 1000") }
                count = number
            case "_cursor":
                guard let sequence = Int64(value), sequence >= 0 else { throw GatewayError.invalid("_cursor is not one this server gave") }
                query.after = sequence
            default: break
            }
        }
        let groups = Set(AuditEventKind.allCases.map(\.type))
        for type in types where !groups.contains(type) {
            throw GatewayError.invalid("type \(type) is unknown; known: \(groups.sorted().joined(separator: ", "))")
        }
        for subtype in subtypes where AuditEventKind(rawValue: subtype) == nil {
            throw GatewayError.invalid("subtype \(subtype) is unknown; known: \(AuditEventKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        // A subtype is more precise than its type: when both are given, the subtypes decide.
        query.kinds = subtypes.isEmpty ? types : subtypes
    }

    private mutating func date(_ value: String) throws(GatewayError) {
        let prefix = value.prefix(2)
        let instant = String(value.dropFirst(2))
        switch prefix {
        case "ge": query.since = instant
        case "le": query.until = instant
        case "gt", "lt", "ne", "sa", "eb", "ap":
            throw GatewayError.invalid("date supports ge, le and eq (no prefix) here, not \(prefix)")
        default:
            query.since = value
            query.until = value
        }
        guard (query.since ?? "").allSatisfy({ $0.isNumber || "-:T.Z+".contains($0) }),
            (query.until ?? "").allSatisfy({ $0.isNumber || "-:T.Z+".contains($0) })
        else { throw GatewayError.invalid("date \(value) is not a date or instant") }
    }
}
