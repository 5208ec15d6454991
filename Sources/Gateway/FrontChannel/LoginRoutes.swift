import Auth
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Login and logout: `GET /login`, `POST /login/{provider}`, the second factor at
/// `/login/second-factor`, `POST /logout`. The CSRF token of every POST was checked by
/// ``SessionCSRFMiddleware`` before these handlers run.
struct LoginRoutes: Sendable {
    let oauth: OAuthComponents

    var sessions: SessionManager { oauth.sessions }

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/login") { request, _ in
            let (session, isNew) = try await sessions.currentOrNew(request)
            let page = try await loginPage(request, session: session)
            return page.response(headers: isNew ? [.setCookie: sessions.cookie(for: session)] : [:])
        }
        router.post("/login/second-factor") { request, context in
            try await submitSecondFactor(request, context)
        }
        router.get("/login/second-factor") { request, _ in
            guard let session = try await sessions.current(request), let pending = session.data.pendingLogin else {
                return Self.redirect(to: "/login")
            }
            return try await secondFactorPage(request, session: session, identity: pending.identity).response()
        }
        router.post("/login/:provider") { request, context in
            try await submitLogin(request, context)
        }
        router.post("/logout") { request, context in
            if let session = try await sessions.current(request) {
                try await sessions.end(session)
            }
            context.audit.update { $0.detail = "logout" }
            return LoginPages.loggedOut(text: FrontText(language: .of(request))).response(headers: [.setCookie: sessions.clearingCookie])
        }
    }

    private func loginPage(_ request: Request, session: FrontSession, error: String? = nil) async throws -> HTMLPage {
        var offered: [(provider: any LoginProvider, start: LoginStart)] = []
        for provider in oauth.loginProviders { offered.append((provider, try await provider.start())) }
        return LoginPages.login(text: FrontText(language: .of(request)), providers: offered, session: session, error: error)
    }

    private func secondFactorPage(_ request: Request, session: FrontSession, identity: LoginIdentity, error: String? = nil)
        async throws -> HTMLPage
    {
        let enrolled = try await oauth.secondFactor.isEnrolled(accountID: identity.accountID)
        let enrolment = enrolled ? nil : try await oauth.secondFactor.enrolment(accountID: identity.accountID, label: identity.displayName)
        return LoginPages.secondFactor(text: FrontText(language: .of(request)), session: session, enrolment: enrolment, error: error)
    }

    private func submitLogin(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        var request = request
        let form = try await FormFields.read(&request, context: context)
        guard var session = try await sessions.current(request) else { throw FrontPageError.csrf("no live session") }
        let providerID = context.parameters.get("provider") ?? ""
        guard let provider = oauth.provider(id: providerID) else {
            throw FrontPageError(status: .notFound, message: { $0.noLoginMethod }, auditDetail: "login method '\(providerID)' is not enabled")
        }
        let identity: LoginIdentity
        do {
            identity = try await provider.finish(form.dictionary)
        } catch let failure as LoginFailure {
            context.audit.update { $0.detail = "login refused (\(provider.id)): \(failure.description)" }
            let text = FrontText(language: .of(request))
            return try await loginPage(request, session: session, error: text.loginFailure(failure)).response(status: .badRequest)
        }
        guard provider.requiresSecondFactor else { return try await completeLogin(session, identity: identity, context: context) }
        session.data.user = nil
        session.data.pendingLogin = PendingLogin(identity: identity)
        try await sessions.save(session)
        context.audit.update {
            $0.patientID = identity.patientID
            $0.detail = "login step 1 passed (\(provider.id)); second factor required"
        }
        return Self.redirect(to: "/login/second-factor")
    }

    private func submitSecondFactor(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        var request = request
        let form = try await FormFields.read(&request, context: context)
        guard var session = try await sessions.current(request) else { throw FrontPageError.csrf("no live session") }
        guard var pending = session.data.pendingLogin else { return Self.redirect(to: "/login") }
        let identity = pending.identity
        context.audit.update { $0.patientID = identity.patientID }
        let text = FrontText(language: .of(request))
        switch try await oauth.secondFactor.verify(form["code"] ?? "", accountID: identity.accountID) {
        case .accepted:
            return try await completeLogin(session, identity: identity, context: context)
        case .locked(let until):
            session.data.pendingLogin = nil
            try await sessions.save(session)
            context.audit.update { $0.detail = "second factor refused: the account is locked after too many wrong codes" }
            let time = PortalDateFormat(language: text.language, now: Date()).time(until)
            return try await loginPage(request, session: session, error: text.accountLocked(until: time)).response(status: .tooManyRequests)
        case .refused:
            break
        }
        pending.failedAttempts += 1
        if pending.failedAttempts >= PendingLogin.maximumFailedAttempts {
            session.data.pendingLogin = nil
            try await sessions.save(session)
            context.audit.update { $0.detail = "second factor failed \(pending.failedAttempts) times; login abandoned" }
            return try await loginPage(request, session: session, error: text.tooManyAttempts).response(status: .badRequest)
        }
        session.data.pendingLogin = pending
        try await sessions.save(session)
        context.audit.update { $0.detail = "second factor refused (attempt \(pending.failedAttempts))" }
        return try await secondFactorPage(request, session: session, identity: identity, error: text.wrongCode).response(status: .badRequest)
    }

    /// The login counts: a new session id, the user in it, and on to what the login was for (the
    /// consent screen of a pending authorization, else the portal or the members' view).
    private func completeLogin(_ session: FrontSession, identity: LoginIdentity, context: GatewayRequestContext) async throws -> Response {
        let data = SessionData(
            user: SessionUser(identity: identity, loggedInAtMilliseconds: Instant.milliseconds(Date())),
            pendingAuthorization: session.data.pendingAuthorization)
        let renewed = try await sessions.renew(session, data: data)
        context.audit.update {
            $0.patientID = identity.patientID
            $0.userID = identity.accountID
            $0.detail = "logged in (\(identity.providerID))"
        }
        // A patient goes on to the portal, a member to their patients, unless an app's authorization waits.
        let home = identity.patientID == nil ? "/care" : "/portal"
        var response = Self.redirect(to: data.pendingAuthorization == nil ? home : "/oauth/consent")
        response.headers[.setCookie] = sessions.cookie(for: renewed)
        return response
    }

    static func redirect(to path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path])
    }
}
