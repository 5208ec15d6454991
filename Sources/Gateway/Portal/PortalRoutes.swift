import Foundation
import HTTPTypes
import Hummingbird

/// The patient portal on the front listener, under `/portal`: an overview, "my apps", "my care
/// providers", "my members" and "who looked at my data". Server-rendered, no JavaScript.
///
/// Registered after ``FrontRoutes``, so every page inherits the security headers, the page errors and
/// the CSRF check of every POST (``SessionCSRFMiddleware``); the audit middleware logs every view.
/// Without a logged-in patient every page redirects to `/login`.
///
/// ```swift
/// PortalRoutes(services: services).register(on: router)   // after FrontRoutes(…).register(on: router)
/// ```
struct PortalRoutes: Sendable {
    let portal: PortalComponents

    init(services: GatewayServices) {
        portal = PortalComponents(services: services)
    }

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/portal") { request, context in
            try await page(request, context, "overview") { session, _, text, _ in
                PortalLayout.overview(text: text, session: session)
            }
        }
        router.get("/portal/apps") { request, context in
            try await page(request, context, "apps") { session, patientID, text, now in
                let apps = try await appAccess(patientID: patientID, now: now)
                let status = try await appsStatus(request, text: text)
                return AppsPage.render(text: text, session: session, apps: apps, now: now, status: status)
            }
        }
        router.get("/portal/providers") { request, context in
            try await page(request, context, "providers") { session, patientID, text, now in
                let known = try await portal.directory.providers()
                let rows = ProvidersPage.rows(
                    try await portal.consents.current(patientID: patientID, now: now), known: known, directory: portal.directory)
                let status = providersStatus(request, text: text, known: known)
                return ProvidersPage.render(text: text, session: session, rows: rows, known: known, now: now, status: status)
            }
        }
        router.get("/portal/members") { request, context in
            try await page(request, context, "members") { session, patientID, text, now in
                let members = try await portal.directory.members(patientID: patientID)
                let rows = MembersPage.rows(members: members, consents: try await portal.consents.current(patientID: patientID, now: now))
                let saved = request.uri.queryParameters.get("saved").flatMap { id in members.first { $0.memberID == id } }
                return MembersPage.render(text: text, session: session, rows: rows, status: saved.map { text.memberSaved($0.displayName) })
            }
        }
        router.get("/portal/access-log") { request, context in
            try await page(request, context, "access log") { session, patientID, text, now in
                let parameters = request.uri.queryParameters
                let (filter, rejected) = AccessLogFilter.parse(
                    from: parameters.get("from"), to: parameters.get("to"), actor: parameters.get("actor"))
                let entries = try await AccessLogNarrative.load(
                    patientID: patientID, limit: AccessLogPage.limit, filter: filter, text: text, now: now,
                    sources: .init(auditLog: portal.auditLog, directory: portal.directory, consents: portal.consents.repository))
                return AccessLogPage.render(
                    text: text, session: session, entries: entries, now: now, filter: filter,
                    actors: try await accessLogActors(patientID: patientID), rejected: rejected)
            }
        }
        PortalActions(portal: portal).register(on: router)
    }

    /// Everyone who accessed (or tried to access) the patient's data, named, for the filter's choice.
    private func accessLogActors(patientID: String) async throws -> [(id: String, name: String)] {
        var members: [String: String] = [:]
        var actors: [(id: String, name: String)] = []
        for agent in try await portal.auditLog.decisionAgents(patientID: patientID) {
            if agent.partyKind == CareRoutes.memberPartyKind {
                if members.isEmpty {
                    for member in try await portal.directory.members(patientID: patientID) { members[member.memberID] = member.displayName }
                }
                actors.append((agent.partyID, members[agent.partyID] ?? agent.partyID))
            } else {
                actors.append((agent.partyID, try await portal.directory.partyName(partyID: agent.partyID) ?? agent.partyID))
            }
        }
        return actors.sorted { $0.name < $1.name }
    }

    /// A portal page for the logged-in patient, or the redirect to the login page.
    private func page(
        _ request: Request, _ context: GatewayRequestContext, _ name: String,
        _ render: (FrontSession, String, PortalText, Date) async throws -> HTMLPage
    ) async throws -> Response {
        guard case .patient(let session, let patientID) = try await portal.patient(request, context: context) else {
            return LoginRoutes.redirect(to: "/login")
        }
        context.audit.update { $0.detail = "portal: \(name) shown" }
        return try await render(session, patientID, PortalText(language: .of(request)), Date()).response()
    }

    /// The patient's apps: their single-app consents, named from the OCL or the registry.
    private func appAccess(patientID: String, now: Date) async throws -> [AppAccess] {
        let consents = try await portal.consents.current(patientID: patientID, now: now)
        var names: [String: String] = [:]
        for consent in consents {
            if case .pgoApp(let clientID) = consent.actor, names[clientID] == nil {
                names[clientID] = try await portal.directory.appName(clientID: clientID)
            }
        }
        return AppAccess.group(consents, names: names)
    }

    /// "The access of X has been revoked" after a revocation (the redirect names the app). Only a
    /// registered app is named: a crafted link cannot make the page announce arbitrary text.
    private func appsStatus(_ request: Request, text: PortalText) async throws -> String? {
        guard let clientID = request.uri.queryParameters.get("revoked"),
            try await portal.directory.registry.party(clientID: clientID) != nil
        else { return nil }
        return text.appRevoked(try await portal.directory.appName(clientID: clientID))
    }

    private func providersStatus(_ request: Request, text: PortalText, known: [KnownProvider]) -> String? {
        let parameters = request.uri.queryParameters
        if let ura = parameters.get("granted"), let provider = known.first(where: { $0.ura == ura }) {
            return text.providerGranted(provider.name)
        }
        if let ura = parameters.get("revoked"), let provider = known.first(where: { $0.ura == ura }) {
            return text.providerRevoked(provider.name)
        }
        return nil
    }
}
