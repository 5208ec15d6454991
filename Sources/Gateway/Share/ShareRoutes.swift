import Audit
import Exchange
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// The portal's exchange with care providers: `GET /portal/exchange` lists the providers this gateway
/// has endpoints for (collect, send measurements); `GET /portal/share?ura=` lets the patient pick
/// self-measurements; `POST /portal/share` sends the browser to the provider to confirm with the
/// share scope. The way back is `/oauth/callback` (``CollectRoutes``), which finishes with ``ShareService``.
///
/// Registered after ``FrontRoutes``: the CSRF check of every POST has run before these handlers.
struct ShareRoutes: Sendable {
    let sessions: SessionManager
    let service: ShareService

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/portal/exchange") { request, context in try await exchange(request, context) }
        router.get("/portal/share") { request, context in try await choose(request, context) }
        router.post("/portal/share") { request, context in try await start(request, context) }
    }

    private func patient(_ request: Request, _ context: GatewayRequestContext) async throws -> (FrontSession, String)? {
        guard let session = try await sessions.current(request), let patientID = session.data.user?.identity.patientID else { return nil }
        context.audit.update {
            $0.patientID = patientID
            $0.userID = session.data.user?.identity.accountID
        }
        return (session, patientID)
    }

    private func exchange(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        guard let (session, _) = try await patient(request, context) else { return LoginRoutes.redirect(to: "/login") }
        let endpoints = service.collect.endpoints
        let collectable = try await endpoints.all(dataServiceID: ProviderEndpoints.bgzDataServiceID)
        let shareable = try await endpoints.all(dataServiceID: ShareService.dataServiceID)
        context.audit.update { $0.detail = "portal: exchange shown" }
        return SharePages.exchange(
            text: PortalText(language: .of(request)), session: session, rows: ExchangeRow.rows(collect: collectable, share: shareable)
        ).response()
    }

    private func choose(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        guard let (session, patientID) = try await patient(request, context) else { return LoginRoutes.redirect(to: "/login") }
        guard let ura = request.uri.queryParameters.get("ura").map({ String($0) }), Self.isURA(ura),
            let endpoint = try await service.endpoint(ura: ura)
        else { throw Self.pageError(.unknownProvider("-")) }
        let measurements = try await service.candidates(patientID: patientID)
        context.audit.update { $0.detail = "portal: choice of measurements to send to \(endpoint.displayName) shown" }
        return SharePages.choose(
            text: PortalText(language: .of(request)), session: session, ura: ura, provider: endpoint.displayName, measurements: measurements
        ).response()
    }

    private func start(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        var request = request
        let form = try await FormFields.read(&request, context: context)
        guard let (_, patientID) = try await patient(request, context) else { return LoginRoutes.redirect(to: "/login") }
        context.audit.update { $0.kind = .share }
        guard let ura = form["ura"], Self.isURA(ura) else { throw Self.pageError(.unknownProvider("-")) }
        let selection = form.pairs.filter { $0.name == "measurement" }.map(\.value)
        do {
            let started = try await service.start(patientID: patientID, ura: ura, selection: selection)
            context.audit.update {
                $0.detail = "share: patient sent to the authorization endpoint of \(started.provider) to confirm \(Set(selection).count) measurement(s)"
            }
            var response = Response(status: .found, headers: [.location: started.url])
            response.headers[.setCookie] = CollectRoutes.bindingCookieHeader(started.binding)
            return response
        } catch let error as ShareError {
            throw Self.pageError(error)
        } catch let error as CollectError {
            throw CollectRoutes.pageError(error)
        }
    }

    static func isURA(_ text: String) -> Bool { text.count == 8 && text.allSatisfy(\.isNumber) }

    static func pageError(_ error: ShareError) -> FrontPageError {
        let status: HTTPResponse.Status =
            switch error {
            case .send, .malformedResponse: .badGateway
            case .unknownProvider: .notFound
            case .nothingSelected, .notShareable: .badRequest
            }
        return FrontPageError(status: status, message: { ShareText(language: $0.language).message(error) }, auditDetail: "share refused: \(error)")
    }
}

/// One provider on the exchange page: what this gateway can do with it.
struct ExchangeRow: Sendable, Hashable {
    let ura: String
    let provider: String
    let canCollect: Bool
    let canShare: Bool

    /// Providers with a URA (the portal's key for them), by name.
    static func rows(collect: [ProviderEndpoint], share: [ProviderEndpoint]) -> [ExchangeRow] {
        var names: [String: String] = [:]
        for endpoint in collect + share { if let ura = endpoint.ura, names[ura] == nil { names[ura] = endpoint.displayName } }
        let collecting = Set(collect.compactMap(\.ura))
        let sharing = Set(share.compactMap(\.ura))
        return names.map { ura, name in
            ExchangeRow(ura: ura, provider: name, canCollect: collecting.contains(ura), canShare: sharing.contains(ura))
        }.sorted { ($0.provider, $0.ura) < ($1.provider, $1.ura) }
    }
}
