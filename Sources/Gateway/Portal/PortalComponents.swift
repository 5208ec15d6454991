import Audit
import Consent
import Hummingbird
import Store

/// What the portal works with, built once from the gateway's services.
struct PortalComponents: Sendable {
    let sessions: SessionManager
    let consents: PortalConsents
    let directory: PortalDirectory
    let revocation: AppAccessRevocation
    /// The gateway's own log: the portal only reads it (``AuditLog/decisionEvents(patientID:limit:)``).
    let auditLog: AuditLog

    init(services: GatewayServices) {
        let oauth = services.oauth
        sessions = oauth.sessions
        consents = PortalConsents(repository: oauth.consents)
        directory = PortalDirectory(registry: services.registry, lists: oauth.lists, pzcs: PZCRecords(database: services.database))
        revocation = AppAccessRevocation(consents: consents, grants: oauth.server.grants, tokens: services.tokens.store, registry: services.registry)
        auditLog = services.auditLog
    }

    /// The logged-in patient of the request, or why not: no login (or one still at its second step)
    /// goes to the login page; a professional's login gets a page saying the portal is the patient's.
    func patient(_ request: Request, context: GatewayRequestContext) async throws -> PortalVisitor {
        guard let session = try await sessions.current(request), let user = session.data.user else { return .toLogin }
        guard let patientID = user.identity.patientID else {
            throw FrontPageError(
                status: .forbidden, message: { PortalText(language: $0.language).onlyPatients },
                auditDetail: "portal refused: the login is no patient's")
        }
        // Every portal request is about this patient, whatever it shows: the audit event says so.
        context.audit.update {
            $0.patientID = patientID
            $0.userID = user.identity.accountID
        }
        return .patient(session, patientID)
    }
}

/// Who is asking for a portal page.
enum PortalVisitor: Sendable {
    case patient(FrontSession, String)
    /// Nobody logged in: send them to the login page.
    case toLogin
}
