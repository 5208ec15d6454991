import Auth
import Exchange
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// The MedMij authorization endpoint (front channel): `GET /oauth/authorize`, then the landing page,
/// login, the consent screen, and the redirect back with a code (or an error).
///
/// An unknown or inactive client, a client whose host is not on the MedMij Whitelist in force, or a
/// redirect URI not on the client's own https host (or, when the operator registered redirect URIs
/// for the app, not one of those), gets an error page and never a redirect (the
/// redirect could go anywhere). Any other fault is redirected back as
/// an OAuth error. The validated request waits in the server-side session, not in form fields.
struct AuthorizeRoutes: Sendable {
    let oauth: OAuthComponents

    var sessions: SessionManager { oauth.sessions }

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/oauth/authorize") { request, context in try await authorize(request, context) }
        router.get("/oauth/landing") { request, _ in
            let (session, pending) = try await pendingRequest(request)
            return ConsentPages.landing(text: FrontText(language: .of(request)), session: session, pending: pending).response()
        }
        router.get("/oauth/consent") { request, context in
            let (session, pending) = try await pendingRequest(request)
            guard let user = session.data.user else { return LoginRoutes.redirect(to: "/login") }
            let text = FrontText(language: .of(request))
            guard let patientID = user.identity.patientID else { return ConsentPages.onlyPatients(text: text, session: session).response(status: .forbidden) }
            context.audit.update {
                $0.patientID = patientID
                $0.detail = "show consent screen for \(pending.clientID)"
            }
            return ConsentPages.consent(text: text, session: session, pending: pending).response()
        }
        router.post("/oauth/consent") { request, context in try await decide(request, context) }
        router.post("/oauth/cancel") { request, context in
            var (session, pending) = try await pendingRequest(request)
            session.data.pendingAuthorization = nil
            try await sessions.save(session)
            context.audit.update { $0.detail = "authorization cancelled by the user; access_denied sent to \(pending.clientID)" }
            return Self.errorRedirect(pending.redirectURI, .accessDenied, "the user cancelled the authorization", state: pending.state)
        }
    }

    // MARK: - GET /oauth/authorize

    private func authorize(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        guard let parameters = AuthorizationParameters(query: request.uri.query) else {
            throw Self.pageError(\.unknownClient, "authorization_request_error: malformed query")
        }
        let requestID = parameters.first("MedMij-Request-ID") ?? AuditMiddleware.header(AuditMiddleware.medMijRequestID, of: request)
        let correlationID = parameters.first("X-Correlation-ID") ?? AuditMiddleware.header(AuditMiddleware.correlationID, of: request)
        let trace = "MedMij-Request-ID=\(Self.short(requestID)), X-Correlation-ID=\(Self.short(correlationID))"

        // Faults that make the redirect URI untrustworthy: an error page, no redirect.
        guard let clientID = parameters.single("client_id"), !clientID.isEmpty else {
            throw Self.pageError(\.unknownClient, "authorization_request_error: client_id missing or repeated (\(trace))")
        }
        guard let party = try await oauth.registry.party(clientID: clientID), party.kind == .app, party.status == .active else {
            throw Self.pageError(\.unknownClient, "authorization_request_error: unknown or inactive client \(Self.short(clientID)) (\(trace))")
        }
        guard try await oauth.lists.whitelistAdmits(clientID) else {
            throw Self.pageError(\.unknownClient, "authorization_request_error: client \(Self.short(clientID)) is not on the MedMij Whitelist (\(trace))")
        }
        let registered = try await PartyRedirectURIs(database: oauth.registry.database).uris(partyID: party.partyID)
        guard let redirectURI = parameters.single("redirect_uri"), RedirectURIRule.accepts(redirectURI, clientID: clientID, registered: registered)
        else {
            throw Self.pageError(\.invalidRedirect, "authorization_request_error: redirect_uri not allowed for \(clientID) (\(trace))")
        }

        // Other faults go back to the app as OAuth errors.
        let state = parameters.single("state")
        let echoedState = state.flatMap { OAuthState.isValid($0) ? $0 : nil }
        func refuse(_ error: OAuthErrorCode, _ description: String) -> Response {
            context.audit.update { $0.detail = "send_authorization_request_error to \(clientID): \(error.rawValue), \(description) (\(trace))" }
            return Self.errorRedirect(redirectURI, error, description, state: echoedState)
        }
        for name in ["response_type", "scope", "state"] where parameters.isRepeated(name) {
            return refuse(.invalidRequest, "the parameter \(name) is given more than once")
        }
        guard let responseType = parameters.single("response_type") else { return refuse(.invalidRequest, "response_type is missing") }
        guard responseType == "code" else { return refuse(.unsupportedResponseType, "only response_type=code is supported") }
        guard let state else { return refuse(.invalidRequest, "state is missing") }
        guard echoedState != nil else { return refuse(.invalidRequest, "state must be 1 to 1024 printable ASCII characters") }
        guard let scope = parameters.single("scope") else { return refuse(.invalidRequest, "scope is missing") }
        guard RequestedScope(scope, providerName: oauth.providerName) != nil else {
            return refuse(
                .invalidScope,
                "the scope must be the provider name '\(oauth.providerName)' (collect) or '\(oauth.providerName)~\(ProviderEndpoints.selfMeasurementsDataServiceID)' (share self-measurements)")
        }

        var (session, isNew) = try await sessions.currentOrNew(request)
        // The patient must see who asks in the words of the OCL, the list MedMij vouches for.
        let organisationName = try await oauth.lists.oclName(clientID: clientID) ?? party.displayName
        let pending = PendingAuthorization(
            partyID: party.partyID, clientID: clientID, organisationName: organisationName, redirectURI: redirectURI, state: state,
            scope: scope, requestID: requestID, correlationID: correlationID, receivedAtMilliseconds: Instant.milliseconds(Date()))
        session.data.pendingAuthorization = pending
        try await sessions.save(session)
        context.audit.update { $0.detail = "receive_authorization_request from \(clientID); show_landing_page (\(trace))" }
        // The landing page is this response, not a redirect: a SameSite=Strict cookie set on a
        // cross-site navigation is not sent on a redirect that navigation continues with.
        let page = ConsentPages.landing(text: FrontText(language: .of(request)), session: session, pending: pending)
        return page.response(headers: isNew ? [.setCookie: sessions.cookie(for: session)] : [:])
    }

    // MARK: - POST /oauth/consent

    private func decide(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        var request = request
        let form = try await FormFields.read(&request, context: context)
        var (session, pending) = try await pendingRequest(request)
        guard let user = session.data.user else { return LoginRoutes.redirect(to: "/login") }
        let text = FrontText(language: .of(request))
        guard let patientID = user.identity.patientID else { return ConsentPages.onlyPatients(text: text, session: session).response(status: .forbidden) }
        context.audit.update {
            $0.patientID = patientID
            $0.userID = user.identity.accountID
        }

        guard form["decision"] == "allow" else {
            session.data.pendingAuthorization = nil
            try await sessions.save(session)
            context.audit.update { $0.detail = "consent refused by the patient; access_denied sent to \(pending.clientID)" }
            return Self.errorRedirect(pending.redirectURI, .accessDenied, "the patient did not give consent", state: pending.state)
        }
        guard let duration = form["period"].flatMap(ConsentDuration.init(rawValue:)) else {
            return ConsentPages.consent(text: text, session: session, pending: pending, error: text.choosePeriod).response(status: .badRequest)
        }
        // The app may have been suspended while the patient was logging in.
        guard let party = try await oauth.registry.party(clientID: pending.clientID), party.kind == .app, party.status == .active else {
            throw Self.pageError(\.unknownClient, "authorization_request_error: client \(pending.clientID) no longer active")
        }

        let now = Date()
        let end = duration.end(from: now, codeLifetime: oauth.server.codeLifetime, accessTokenLifetime: oauth.server.accessTokenLifetime)
        let consentID = "pgo-" + UUID().uuidString.lowercased()
        let consent =
            RequestedScope(pending.scope, providerName: oauth.providerName) == .shareSelfMeasurements
            ? ShareConsent.record(id: consentID, patientID: patientID, clientID: pending.clientID, at: now, end: end)
            : BgZConsent.record(id: consentID, patientID: patientID, clientID: pending.clientID, at: now, end: end)
        try await oauth.consents.record(consent)
        let issued = try await oauth.server.issueCode(
            for: .init(
                partyID: party.partyID, clientID: pending.clientID, patientID: patientID, redirectURI: pending.redirectURI,
                scope: pending.scope, consentID: consent.id, duration: duration, consentEnd: end),
            now: now)
        session.data.pendingAuthorization = nil
        try await sessions.save(session)
        context.audit.update {
            $0.kind = .consentGrant
            $0.entities = ["Consent/\(consent.id)/_history/\(consent.version)"]
            $0.detail = "consent \(consent.id) recorded for \(pending.clientID) (\(duration.rawValue)); grant \(issued.grantID); code sent to the redirect_uri"
        }
        let query = "code=\(QueryString.encode(issued.code))&state=\(QueryString.encode(pending.state))"
        return Response(status: .found, headers: [.location: pending.redirectURI + "?" + query])
    }

    // MARK: - Helpers

    /// The session and its pending authorization request, or the "no request in progress" page.
    private func pendingRequest(_ request: Request) async throws -> (FrontSession, PendingAuthorization) {
        guard let session = try await sessions.current(request), let pending = session.data.pendingAuthorization else {
            throw Self.pageError(\.noPendingAuthorization, "no authorization request in progress in this session")
        }
        return (session, pending)
    }

    static func pageError(_ message: KeyPath<FrontText, String> & Sendable, _ auditDetail: String) -> FrontPageError {
        FrontPageError(status: .badRequest, message: { $0[keyPath: message] }, auditDetail: auditDetail)
    }

    /// RFC 6749 §4.1.2.1: back to the (validated) redirect URI with `error`, `error_description`, `state`.
    static func errorRedirect(_ redirectURI: String, _ error: OAuthErrorCode, _ description: String, state: String?) -> Response {
        var query = "error=\(error.rawValue)&error_description=\(QueryString.encode(description))"
        if let state { query += "&state=\(QueryString.encode(state))" }
        return Response(status: .found, headers: [.location: redirectURI + "?" + query])
    }

    /// Caller-supplied text for the audit log, bounded.
    static func short(_ text: String?) -> String {
        guard let text else { return "-" }
        return text.count > 100 ? String(text.prefix(100)) + "…" : text
    }
}

/// The query of an authorization request: unknown parameters are ignored, repeated ones noticed.
struct AuthorizationParameters {
    private let pairs: [(name: String, value: String)]

    /// Nil for a malformed percent-encoding.
    init?(query: String?) {
        guard let pairs = try? QueryString.parse(query ?? "", form: false) else { return nil }
        self.pairs = pairs
    }

    func isRepeated(_ name: String) -> Bool { pairs.filter { $0.name == name }.count > 1 }

    /// The value when given exactly once (RFC 6749 §3.1: parameters must not repeat).
    func single(_ name: String) -> String? {
        let values = pairs.filter { $0.name == name }
        return values.count == 1 ? values[0].value : nil
    }

    func first(_ name: String) -> String? { pairs.first { $0.name == name }?.value }
}
