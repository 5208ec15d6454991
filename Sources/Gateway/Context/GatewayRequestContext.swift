import Audit
import Auth
import Hummingbird
import NIOCore
import Store
import Synchronization

/// Per-request state of the gateway: which listener the request came in on, who is calling, and
/// what the audit event for this request should say.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on; its TLS handler knows the client certificate.
    public let channel: any Channel
    /// The party the client certificate mapped to, set by ``ClientIdentityMiddleware``.
    public var caller: Caller?
    /// Shared with the audit middleware, which runs outside the handlers and so cannot see their copies
    /// of the context: handlers note here what they disclosed.
    public let audit: AuditNotes
    /// Bodies above this size are refused with 413 (set per listener by the server).
    public var maxBodySize: Int

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.caller = nil
        self.audit = AuditNotes()
        self.maxBodySize = GatewayConfiguration.defaultMaxBodySize
    }

    public var maxUploadSize: Int { maxBodySize }
}

/// A caller identified by its client certificate.
public struct Caller: Sendable, Hashable {
    public var party: Party
    public var certificate: CertificateIdentity
}

/// What a request did, collected while it runs and written to the audit log before the response
/// leaves. Reference type by necessity (see ``GatewayRequestContext/audit``), guarded by a mutex.
public final class AuditNotes: Sendable {
    public struct Notes: Sendable {
        public var partyID: String?
        public var partyKind: String?
        public var certificateFingerprint: String?
        public var patientID: String?
        public var entities: [String] = []
        public var detail: String?
        /// The consent decision over what the request disclosed or withheld (see ``ConsentCheck``).
        public var decision: ConsentDecisionRecord?
        /// What happened, when the handler knows better than the path says (a refresh, a misuse, a
        /// consent revoked); otherwise ``AuditEventClassification`` decides.
        public var kind: AuditEventKind?
        /// The logged-in person acting (`citizen:<patient id>`, `professional:<UZI>`), on the front channel.
        public var userID: String?
    }

    private let notes = Mutex(Notes())

    public init() {}

    public var current: Notes { notes.withLock { $0 } }

    public func update(_ change: (inout Notes) -> Void) {
        notes.withLock { change(&$0) }
    }

    public func disclosed(_ references: [String]) {
        notes.withLock { $0.entities.append(contentsOf: references) }
    }
}
