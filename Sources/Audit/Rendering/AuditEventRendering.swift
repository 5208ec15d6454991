import FHIR
import Foundation

/// A recorded event as a FHIR STU3 `AuditEvent`, after the IHE Basic Audit Log Patterns (BALP):
/// RESTful reads and searches as `rest` with the interaction as subtype, logins as DICOM "User
/// Authentication", refused certificates and token misuse as "Security Alert", exchange as
/// "Import"/"Export", with the patient, the resources, the consents that decided and the request ids
/// as entities. Every event also carries the gateway's own kind as a subtype, for exact filtering.
///
/// ```swift
/// let resource = AuditEventRendering.resource(record)   // AuditEvent/17
/// ```
public enum AuditEventRendering {
    public static let kindSystem = "http://zorgnet.example/fhir/CodeSystem/audit-event-kind"
    public static let partySystem = "http://zorgnet.example/fhir/NamingSystem/party"
    public static let userSystem = "http://zorgnet.example/fhir/NamingSystem/login-account"
    static let dicom = "http://dicom.nema.org/resources/ontology/DCM"
    static let eventType = "http://hl7.org/fhir/audit-event-type"
    static let restfulInteraction = "http://hl7.org/fhir/restful-interaction"

    /// The event, and when a consent decision was taken, the decision as an event of its own
    /// (BALP `AuthZconsent`: a security alert with subtype AuthZ-Consent, outcome 0 for permit and 8
    /// for deny, naming the patient and every consent used), with id `<sequence>-authz`.
    public static func resources(_ record: AuditRecord) -> [FHIRResource] {
        [resource(record)] + (record.event.decision == nil ? [] : [consentDecision(record)])
    }

    static func consentDecision(_ record: AuditRecord) -> FHIRResource {
        let event = record.event
        let denied = event.decision?.outcome == .deny
        var content: FHIRObject = [
            "resourceType": "AuditEvent",
            "id": .string("\(record.sequence)-authz"),
            "type": coding(dicom, "110113", "Security Alert"),
            "subtype": [coding("urn:ihe:iti:balp:2023:authz", "AuthZ-Consent", "Authorization decision on consent")],
            "action": "E",
            "recorded": .string(event.recorded),
            "outcome": denied ? "8" : "0",
        ]
        if let decision = event.decision {
            content["outcomeDesc"] = .string("\(decision.outcome.rawValue): \(decision.permitted) permitted, \(decision.denied) withheld")
        }
        content["agent"] = .array(agents(event))
        content["source"] = [
            "site": "zorgnet",
            "identifier": ["value": "zorgnet-gateway"],
            "type": [["system": "http://hl7.org/fhir/security-source-type", "code": "4", "display": "Application Server"]],
        ]
        var decided = event
        decided.entities = []
        let entities = entities(decided).filter { $0["name"]?.stringValue != "consent decision" }
        content["entity"] = .array(entities + [["reference": ["reference": .string("AuditEvent/\(record.sequence)")], "name": "decided request"]])
        return (try? FHIRResource(content)) ?? OperationOutcome(severity: .fatal, code: .exception, diagnostics: "unrenderable").resource
    }

    public static func resource(_ record: AuditRecord) -> FHIRResource {
        let event = record.event
        let kind = event.kind ?? .other
        var content: FHIRObject = [
            "resourceType": "AuditEvent",
            "id": .string(String(record.sequence)),
            "type": type(of: kind),
            "subtype": .array(subtypes(of: kind)),
            "action": .string(action(of: kind)),
            "recorded": .string(event.recorded),
            "outcome": .string(AuditOutcome.of(event).rawValue),
        ]
        if let detail = event.detail { content["outcomeDesc"] = .string(detail) }
        content["agent"] = .array(agents(event))
        content["source"] = [
            "site": "zorgnet",
            "identifier": ["value": "zorgnet-gateway"],
            "type": [["system": "http://hl7.org/fhir/security-source-type", "code": "4", "display": "Application Server"]],
        ]
        let entities = entities(event)
        if !entities.isEmpty { content["entity"] = .array(entities) }
        // The literal always has a resourceType, so this cannot fail.
        return (try? FHIRResource(content)) ?? OperationOutcome(severity: .fatal, code: .exception, diagnostics: "unrenderable").resource
    }

    static func coding(_ system: String, _ code: String, _ display: String) -> FHIRValue {
        ["system": .string(system), "code": .string(code), "display": .string(display)]
    }

    static func type(of kind: AuditEventKind) -> FHIRValue {
        switch kind {
        case .read, .vread, .history, .search, .create, .validate, .capabilities:
            coding(eventType, "rest", "Restful Operation")
        case .login, .loginFailed, .logout, .authorize, .tokenIssue, .tokenRefresh, .tokenRevoke:
            coding(dicom, "110114", "User Authentication")
        case .certificateRefused, .tokenMisuse, .collectRefused, .connectionRefused:
            coding(dicom, "110113", "Security Alert")
        case .push, .collect: coding(dicom, "110107", "Import")
        case .share: coding(dicom, "110106", "Export")
        case .auditQuery: coding(dicom, "110101", "Audit Log Used")
        case .recordView, .pageView: coding(dicom, "110110", "Patient Record")
        case .consentGrant, .consentChange, .consentRevoke, .registryChange, .overload, .other:
            coding(dicom, "110100", "Application Activity")
        }
    }

    static func subtypes(of kind: AuditEventKind) -> [FHIRValue] {
        var codes: [FHIRValue] = []
        switch kind {
        case .read: codes.append(coding(restfulInteraction, "read", "read"))
        case .vread: codes.append(coding(restfulInteraction, "vread", "vread"))
        case .history: codes.append(coding(restfulInteraction, "history-instance", "history-instance"))
        case .search: codes.append(coding(restfulInteraction, "search-type", "search-type"))
        case .create: codes.append(coding(restfulInteraction, "create", "create"))
        case .validate, .capabilities: codes.append(coding(restfulInteraction, "operation", "operation"))
        case .login, .loginFailed, .authorize, .tokenIssue, .tokenRefresh: codes.append(coding(dicom, "110122", "Login"))
        case .logout, .tokenRevoke: codes.append(coding(dicom, "110123", "Logout"))
        default: break
        }
        codes.append(coding(kindSystem, kind.rawValue, kind.rawValue))
        return codes
    }

    /// C, R, U, D or E (execute), as BALP assigns them.
    static func action(of kind: AuditEventKind) -> String {
        switch kind {
        case .read, .vread, .history, .search, .capabilities, .recordView, .pageView, .collect, .auditQuery: "R"
        case .create, .push, .consentGrant: "C"
        case .consentChange, .registryChange: "U"
        case .consentRevoke: "D"
        default: "E"
        }
    }

    static func agents(_ event: AuditEvent) -> [FHIRValue] {
        var agents: [FHIRValue] = []
        if let userID = event.userID {
            agents.append([
                "role": [["coding": [coding("http://hl7.org/fhir/v3/ParticipationType", "IRCP", "information recipient")]]],
                "userId": ["system": .string(userSystem), "value": .string(userID)],
                "requestor": true,
            ])
        }
        if let partyID = event.partyID {
            var agent: FHIRObject = [
                "role": [["coding": [coding(dicom, "110153", "Source Role ID")]]],
                "userId": ["system": .string(partySystem), "value": .string(partyID)],
                "requestor": .boolean(event.userID == nil),
            ]
            if let kind = event.partyKind { agent["name"] = .string(kind) }
            if let fingerprint = event.certificateFingerprint { agent["altId"] = .string("sha256:\(fingerprint)") }
            if let address = event.clientAddress {
                agent["network"] = ["address": .string(address), "type": "2"]
            }
            agents.append(.object(agent))
        } else if event.userID == nil {
            // Nobody identified: the network address is all there is to say who asked.
            var agent: FHIRObject = ["role": [["coding": [coding(dicom, "110153", "Source Role ID")]]], "requestor": true]
            if let fingerprint = event.certificateFingerprint { agent["altId"] = .string("sha256:\(fingerprint)") }
            if let address = event.clientAddress { agent["network"] = ["address": .string(address), "type": "2"] }
            agents.append(.object(agent))
        }
        agents.append([
            "role": [["coding": [coding(dicom, "110152", "Destination Role ID")]]],
            "userId": ["value": "zorgnet-gateway"],
            "requestor": false,
        ])
        return agents
    }

    static func entities(_ event: AuditEvent) -> [FHIRValue] {
        var entities: [FHIRValue] = []
        if let patient = event.patientID {
            entities.append([
                "reference": ["reference": .string("Patient/\(patient)")],
                "type": coding("http://hl7.org/fhir/audit-entity-type", "1", "Person"),
                "role": coding("http://hl7.org/fhir/object-role", "1", "Patient"),
            ])
        }
        for entity in event.entities {
            entities.append([
                "reference": ["reference": .string(entity)],
                "type": coding("http://hl7.org/fhir/audit-entity-type", "2", "System Object"),
                "role": coding("http://hl7.org/fhir/object-role", "4", "Domain Resource"),
            ])
        }
        if let decision = event.decision {
            for consent in decision.consents {
                entities.append([
                    "reference": ["reference": .string("Consent/\(consent.id)/_history/\(consent.version)")],
                    "type": coding("http://hl7.org/fhir/audit-entity-type", "2", "System Object"),
                    "role": coding("http://hl7.org/fhir/object-role", "13", "Security Resource"),
                    "name": "consent",
                ])
            }
            entities.append([
                "type": coding("http://hl7.org/fhir/audit-entity-type", "4", "Other"),
                "name": "consent decision",
                "detail": [
                    ["type": "outcome", "value": .string(base64(decision.outcome.rawValue))],
                    ["type": "permitted", "value": .string(base64(String(decision.permitted)))],
                    ["type": "denied", "value": .string(base64(String(decision.denied)))],
                ],
            ])
        }
        for (name, value) in [("MedMij-Request-ID", event.requestID), ("X-Correlation-ID", event.correlationID)] {
            guard let value else { continue }
            entities.append([
                "identifier": ["value": .string(value)],
                "type": coding("http://hl7.org/fhir/audit-entity-type", "4", "Other"),
                "name": .string(name),
            ])
        }
        if event.kind == .search || event.kind == .auditQuery, let query = event.path.split(separator: "?", maxSplits: 1).dropFirst().first {
            entities.append([
                "type": coding("http://hl7.org/fhir/audit-entity-type", "2", "System Object"),
                "role": coding("http://hl7.org/fhir/object-role", "24", "Query"),
                "query": .string(base64(String(query))),
            ])
        }
        return entities
    }

    static func base64(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
    }
}
