import Audit
import Exchange
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// The collect flow on the front channel: `POST /portal/collect` sends the patient's browser to the
/// provider's authorization endpoint, `GET /oauth/callback` takes it back.
///
/// The session cookie is SameSite=Strict, so the browser does not send it on the provider's redirect
/// back (a cross-site navigation). The callback is therefore bound to the browser by a second cookie,
/// SameSite=Lax and limited to `/oauth/callback`, whose hash is stored with the state's: a callback
/// whose state is unknown, already used, or from another browser changes nothing.
struct CollectRoutes: Sendable {
    static let bindingCookie = "zorgnet_collect"

    let sessions: SessionManager
    let service: CollectService
    var share: ShareService { ShareService(collect: service) }

    /// The browser binding: sent back only to `/oauth/callback`, also on the provider's cross-site redirect.
    static func bindingCookieHeader(_ binding: String) -> String {
        "\(bindingCookie)=\(binding); Path=/oauth/callback; Max-Age=900; Secure; HttpOnly; SameSite=Lax"
    }

    func register(on router: Router<GatewayRequestContext>) {
        router.post("/portal/collect") { request, context in try await start(request, context) }
        router.get("/oauth/callback") { request, context in try await callback(request, context) }
    }

    private func start(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        var request = request
        let form = try await FormFields.read(&request, context: context)
        guard let session = try await sessions.current(request), let patientID = session.data.user?.identity.patientID else {
            return LoginRoutes.redirect(to: "/login")
        }
        guard let ura = form["ura"], ura.count == 8, ura.allSatisfy(\.isNumber) else { throw Self.pageError(.unknownProvider("-")) }
        context.audit.update {
            $0.kind = .collect
            $0.patientID = patientID
        }
        do {
            let started = try await service.start(patientID: patientID, ura: ura)
            context.audit.update { $0.detail = "collect: patient sent to the authorization endpoint of \(started.provider)" }
            var response = Response(status: .found, headers: [.location: started.url])
            response.headers[.setCookie] = Self.bindingCookieHeader(started.binding)
            return response
        } catch let error as CollectError {
            throw Self.pageError(error)
        }
    }

    private func callback(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let pairs = (try? QueryString.parse(request.uri.query ?? "", form: false)) ?? []
        func single(_ name: String) -> String? {
            let values = pairs.filter { $0.name == name }
            return values.count == 1 ? values[0].value : nil
        }
        context.audit.update { $0.kind = .collect }
        guard let state = single("state"), !state.isEmpty, state.utf8.count <= 512 else { throw Self.pageError(.unknownState) }
        let binding = request.cookies[Self.bindingCookie]?.value
        do {
            let pending = try await service.claim(state: state, binding: binding)
            context.audit.update { $0.patientID = pending.patientID }
            if pending.dataServiceID == ShareService.dataServiceID {
                return try await shared(pending, code: single("code"), error: single("error"), request: request, context: context)
            }
            let completed = try await service.complete(pending, code: single("code"), error: single("error"))
            let stored = completed.outcomes.reduce(0) { $0 + $1.resources }
            let failed = completed.outcomes.filter { $0.kind == .failed }.count
            context.audit.update {
                $0.patientID = completed.patientID
                $0.detail = "collect from \(completed.provider): \(stored) resource(s) stored, \(failed) of 28 queries failed (run \(completed.runID))"
            }
            var response = CollectPages.result(language: .of(request), provider: completed.provider, outcomes: completed.outcomes).response()
            response.headers[.setCookie] = "\(Self.bindingCookie)=; Path=/oauth/callback; Max-Age=0; Secure; HttpOnly; SameSite=Lax"
            return response
        } catch let error as CollectError {
            throw Self.pageError(error)
        }
    }

    /// The end of a share: the batch sent, each measurement's answer shown and counted in the audit event.
    private func shared(_ pending: PendingCollect, code: String?, error: String?, request: Request, context: GatewayRequestContext)
        async throws -> Response
    {
        context.audit.update { $0.kind = .share }
        do {
            let shared = try await share.complete(pending, code: code, error: error)
            let accepted = shared.outcomes.filter(\.accepted)
            let refused = Dictionary(grouping: shared.outcomes.filter { !$0.accepted }, by: \.status).mapValues(\.count)
            context.audit.update {
                $0.entities = accepted.map { "Observation/\($0.measurement.id)/_history/\($0.measurement.version)" }
                $0.detail = "share with \(shared.provider): \(accepted.count) of \(shared.outcomes.count) measurement(s) received"
                    + (refused.isEmpty ? "" : "; refused " + refused.keys.sorted().map { "\(refused[$0] ?? 0)×\($0)" }.joined(separator: ", "))
            }
            var response = SharePages.result(language: .of(request), provider: shared.provider, outcomes: shared.outcomes).response()
            response.headers[.setCookie] = "\(Self.bindingCookie)=; Path=/oauth/callback; Max-Age=0; Secure; HttpOnly; SameSite=Lax"
            return response
        } catch let error as ShareError {
            throw ShareRoutes.pageError(error)
        }
    }

    static func pageError(_ error: CollectError) -> FrontPageError {
        let status: HTTPResponse.Status =
            switch error {
            case .tokenExchange: .badGateway
            case .noClientConfigured, .unknownProvider, .endpoint, .noStandingAuthorization: .notFound
            default: .badRequest
            }
        return FrontPageError(status: status, message: { CollectText(language: $0.language).message(error) }, auditDetail: "collect refused: \(error)")
    }
}

/// The page the patient sees after a collection: one row per BgZ query.
enum CollectPages {
    static func result(language: FrontLanguage, provider: String, outcomes: [CollectQueryOutcome]) -> HTMLPage {
        let text = CollectText(language: language)
        let names = Dictionary(uniqueKeysWithValues: BgZQueries.all.map { ($0.number, $0.zib) })
        var body = "<p>\(HTML.escape(text.resultIntro(provider)))</p>\n<table>\n<caption>\(HTML.escape(text.queryCaption))</caption>\n"
        body += "<thead><tr><th scope=\"col\">\(HTML.escape(text.partColumn))</th><th scope=\"col\">\(HTML.escape(text.outcomeColumn))</th></tr></thead>\n<tbody>\n"
        for outcome in outcomes {
            body += "<tr><th scope=\"row\">\(HTML.escape(names[outcome.queryNumber] ?? "\(outcome.queryNumber)"))</th>"
                + "<td>\(HTML.escape(text.outcome(outcome)))</td></tr>\n"
        }
        body += "</tbody>\n</table>\n<p><a href=\"/portal/providers\">\(HTML.escape(text.backToProviders))</a></p>\n"
        return HTMLPage(text: FrontText(language: language), title: text.resultTitle, body: body, languageBack: "/portal/providers")
    }
}
