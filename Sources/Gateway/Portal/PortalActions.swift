import Auth
import Consent
import Foundation
import HTTPTypes
import Hummingbird

/// The portal's changes, each a POST that answers with a redirect to the page it came from (so a
/// reload repeats nothing). ``SessionCSRFMiddleware`` has checked the session's CSRF token before these
/// run; each handler then takes the patient from the session, never from the form, and only ever
/// touches that patient's consents: an id that is not theirs is "no such choice" and changes nothing.
struct PortalActions: Sendable {
    let portal: PortalComponents

    func register(on router: Router<GatewayRequestContext>) {
        router.post("/portal/apps/revoke") { request, context in
            try await change(request, context) { form, patientID, now in try await revokeApp(form, patientID: patientID, now: now, context) }
        }
        router.post("/portal/providers/grant") { request, context in
            try await change(request, context) { form, patientID, now in try await grantProvider(form, patientID: patientID, now: now, context) }
        }
        router.post("/portal/providers/revoke") { request, context in
            try await change(request, context) { form, patientID, now in try await revokeProvider(form, patientID: patientID, now: now, context) }
        }
        router.post("/portal/members") { request, context in
            try await change(request, context) { form, patientID, now in try await saveMember(form, patientID: patientID, now: now, context) }
        }
    }

    private func change(
        _ request: Request, _ context: GatewayRequestContext, _ body: (FormFields, String, Date) async throws -> Response
    ) async throws -> Response {
        var request = request
        let form = try await FormFields.read(&request, context: context)
        guard case .patient(_, let patientID) = try await portal.patient(request, context: context) else {
            return LoginRoutes.redirect(to: "/login")
        }
        return try await body(form, patientID, Date())
    }

    // MARK: - My apps

    private func revokeApp(_ form: FormFields, patientID: String, now: Date, _ context: GatewayRequestContext) async throws -> Response {
        guard let clientID = form["client_id"], !clientID.isEmpty else { throw Self.noSuchChoice("no app named") }
        let outcome = try await portal.revocation.revoke(clientID: clientID, patientID: patientID, now: now)
        guard outcome.changedAnything else { throw Self.noSuchChoice("the patient has no access of \(AuthorizeRoutes.short(clientID)) to revoke") }
        context.audit.update {
            $0.kind = .consentRevoke
            $0.entities = outcome.consents.map(Self.entity)
            $0.detail = "portal: access of \(clientID) revoked: \(outcome.consents.count) consent(s), \(outcome.grants.count) grant(s), "
                + "\(outcome.tokens) other access token(s)"
        }
        return LoginRoutes.redirect(to: "/portal/apps?revoked=\(QueryString.encode(clientID))")
    }

    // MARK: - My care providers

    private func grantProvider(_ form: FormFields, patientID: String, now: Date, _ context: GatewayRequestContext) async throws -> Response {
        let known = try await portal.directory.providers()
        guard let ura = form["ura"], known.contains(where: { $0.ura == ura }),
            let action = form["action"].flatMap(ConsentAction.init(rawValue:)), ProvidersPage.actions.contains(action),
            let period = form["period"].flatMap(ConsentDuration.init(rawValue:)), ProvidersPage.periods.contains(period)
        else {
            throw FrontPageError(
                status: .badRequest, message: { PortalText(language: $0.language).choosePermission },
                auditDetail: "portal: provider permission refused: unknown provider, permission or period")
        }
        let validity = ConsentPeriod(start: now, end: period.end(from: now, codeLifetime: .zero, accessTokenLifetime: .zero))
        let root = Provision(.permit, actors: [.provider(ura: ura)], actions: [action], categories: [.everything])
        // The same permission again renews the consent in force rather than adding a second one.
        let existing = try await portal.consents.current(patientID: patientID, now: now)
            .first { $0.actor == .provider(ura: ura) && $0.actions == [action] }
        let recorded: ConsentRecord
        if let existing {
            recorded = existing.record.superseded(at: now, validity: validity, root: root)
            try await portal.consents.repository.record(recorded)
        } else {
            recorded = ConsentRecord(id: PortalConsents.newID("provider"), patientID: patientID, recordedAt: now, validity: validity, root: root)
            try await portal.consents.record(recorded)
        }
        context.audit.update {
            $0.kind = .consentGrant
            $0.entities = [Self.entity(recorded.reference)]
            $0.detail = "portal: provider URA \(ura) permitted to \(action.rawValue) (\(period.rawValue))"
        }
        return LoginRoutes.redirect(to: "/portal/providers?granted=\(QueryString.encode(ura))")
    }

    private func revokeProvider(_ form: FormFields, patientID: String, now: Date, _ context: GatewayRequestContext) async throws -> Response {
        let id = form["consent_id"] ?? ""
        guard let consent = try await portal.consents.current(patientID: patientID, now: now).first(where: { $0.record.id == id }),
            case .provider(let ura) = consent.actor
        else { throw Self.noSuchChoice("no provider consent \(AuthorizeRoutes.short(id)) of this patient in force") }
        let revoked = try await portal.consents.revoke(consent.record, at: now)
        context.audit.update {
            $0.kind = .consentRevoke
            $0.entities = [Self.entity(revoked.reference)]
            $0.detail = "portal: provider URA \(ura) consent revoked"
        }
        return LoginRoutes.redirect(to: "/portal/providers?revoked=\(QueryString.encode(ura))")
    }

    // MARK: - My members

    private func saveMember(_ form: FormFields, patientID: String, now: Date, _ context: GatewayRequestContext) async throws -> Response {
        let memberID = form["member_id"] ?? ""
        guard try await portal.directory.members(patientID: patientID).contains(where: { $0.memberID == memberID }) else {
            throw Self.noSuchChoice("\(AuthorizeRoutes.short(memberID)) is no member of this patient's PZC")
        }
        var chosen = Set<DataCategory>()
        for pair in form.pairs where pair.name == "category" {
            guard let category = DataCategory(rawValue: pair.value), MembersPage.choices.contains(category) else {
                throw Self.noSuchChoice("unknown data category \(AuthorizeRoutes.short(pair.value))")
            }
            chosen.insert(category)
        }
        let categories = DataCategory.allCases.filter(chosen.contains)
        let recorded = try await MemberConsentChange(consents: portal.consents)
            .apply(memberID: memberID, categories: categories, patientID: patientID, now: now)
        context.audit.update {
            $0.kind = .consentChange
            $0.entities = recorded.map(Self.entity)
            $0.detail = "portal: member \(memberID) may read \(categories.isEmpty ? "nothing" : categories.map(\.rawValue).joined(separator: ", "))"
        }
        return LoginRoutes.redirect(to: "/portal/members?saved=\(QueryString.encode(memberID))")
    }

    // MARK: - Helpers

    static func entity(_ reference: ConsentReference) -> String {
        "Consent/\(reference.id)/_history/\(reference.version)"
    }

    static func noSuchChoice(_ detail: String) -> FrontPageError {
        FrontPageError(status: .badRequest, message: { PortalText(language: $0.language).unknownChoice }, auditDetail: "portal: refused: \(detail)")
    }
}
