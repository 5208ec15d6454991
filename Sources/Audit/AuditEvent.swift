/// One access, as the audit log records it (NEN 7513: which event, when, who, on whose behalf,
/// which patient and which data, from where, with what outcome).
///
/// ```swift
/// var event = AuditEvent(recorded: "2026-11-23T12:00:00.000Z", channel: .back, method: "GET",
///                        path: "/fhir/Patient/p1", status: 200)
/// event.patientID = "p1"
/// event.entities = ["Patient/p1"]
/// ```
public struct AuditEvent: Sendable, Hashable {
    /// The listener or tool the event came through.
    public enum Channel: String, Sendable, Hashable, CaseIterable {
        /// The browser-facing listener (TLS, server certificate only).
        case front
        /// The system-to-system listener (mutual TLS).
        case back
        /// A command run on the host, such as `zorgnet token issue`.
        case cli
    }

    /// When the event was recorded, a UTC instant with milliseconds.
    public var recorded: String
    public var channel: Channel
    public var method: String
    /// Path and query as requested.
    public var path: String
    /// The HTTP status answered, or for CLI events 0 on success and 1 on failure.
    public var status: Int
    /// The party the client certificate mapped to, if any.
    public var partyID: String?
    public var partyKind: String?
    public var certificateFingerprint: String?
    /// The patient whose data the request was about (from the access token).
    public var patientID: String?
    /// The resources disclosed or touched, as `Type/id` or `Type/id/_history/n`.
    public var entities: [String]
    public var clientAddress: String?
    /// `MedMij-Request-ID` of the request, if present.
    public var requestID: String?
    /// `X-Correlation-ID` of the request, if present.
    public var correlationID: String?
    /// Why a request was refused or failed, in words fit for an auditor (never clinical content).
    public var detail: String?
    /// The consent decision behind the data the request disclosed or withheld; nil for requests that
    /// touched no patient data (metadata, refused before the consent check, CLI events).
    public var decision: ConsentDecisionRecord?
    /// What happened (NEN 7513 event type); nil only in events written before kinds were recorded.
    public var kind: AuditEventKind?
    /// The person acting, when one logged in: `citizen:<patient id>` or `professional:<UZI number>`
    /// (never a BSN). Apps and systems are the party (``partyID``), acting for ``patientID``.
    public var userID: String?

    public init(
        recorded: String, channel: Channel, method: String, path: String, status: Int,
        partyID: String? = nil, partyKind: String? = nil, certificateFingerprint: String? = nil,
        patientID: String? = nil, entities: [String] = [], clientAddress: String? = nil,
        requestID: String? = nil, correlationID: String? = nil, detail: String? = nil,
        decision: ConsentDecisionRecord? = nil, kind: AuditEventKind? = nil, userID: String? = nil
    ) {
        self.recorded = recorded
        self.channel = channel
        self.method = method
        self.path = path
        self.status = status
        self.partyID = partyID
        self.partyKind = partyKind
        self.certificateFingerprint = certificateFingerprint
        self.patientID = patientID
        self.entities = entities
        self.clientAddress = clientAddress
        self.requestID = requestID
        self.correlationID = correlationID
        self.detail = detail
        self.decision = decision
        self.kind = kind
        self.userID = userID
    }
}

/// An event as stored: its place in the log and its link in the hash chain.
public struct AuditRecord: Sendable, Hashable {
    public var sequence: Int64
    public var event: AuditEvent
    /// The chain hash of the record before this one (32 zero bytes for the first).
    public var previousHash: [UInt8]
    /// SHA-256(previousHash ‖ canonical bytes of this record).
    public var chainHash: [UInt8]
}
