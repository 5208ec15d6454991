import Auth
import Consent
import Foundation

/// "My care providers": which providers (by URA) may push summaries into the record (`.push`) or be
/// collected from (`.collect`), with a revoke button each, and a form to give a provider permission.
enum ProvidersPage {
    /// What a provider may be allowed here, in the order offered.
    static let actions: [ConsentAction] = [.push, .collect]
    /// Consent periods offered for a provider: "this time only" makes no sense for a standing permission.
    static let periods: [ConsentDuration] = [.oneYear, .untilRevoked]

    struct Row: Sendable, Hashable {
        let consentID: String
        let ura: String
        let provider: String
        let actions: [ConsentAction]
        let since: Date
        let until: Date?
    }

    static func rows(_ consents: [PortalConsent], known: [KnownProvider], directory: PortalDirectory) -> [Row] {
        consents.compactMap { consent -> Row? in
            guard case .provider(let ura) = consent.actor else { return nil }
            return Row(
                consentID: consent.record.id, ura: ura, provider: directory.providerName(ura: ura, among: known),
                actions: ConsentAction.allCases.filter(consent.actions.contains), since: consent.since, until: consent.until)
        }.sorted { ($0.provider, $0.since) < ($1.provider, $1.since) }
    }

    static func render(
        text: PortalText, session: FrontSession, rows: [Row], known: [KnownProvider], now: Date, status: String?, error: String? = nil
    ) -> HTMLPage {
        let dates = PortalDateFormat(language: text.language, now: now)
        var body = error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>\n" } ?? ""
        if rows.isEmpty {
            body += "<p>\(HTML.escape(text.noProviderConsents))</p>\n"
        } else {
            body += """
                <table>
                <caption>\(HTML.escape(text.providersCaption))</caption>
                <thead><tr><th scope="col">\(HTML.escape(text.providerColumn))</th><th scope="col">\(HTML.escape(text.permissionColumn))</th><th scope="col">\(HTML.escape(text.sinceColumn))</th><th scope="col">\(HTML.escape(text.untilColumn))</th><th scope="col">\(HTML.escape(text.actionColumn))</th></tr></thead>
                <tbody>

                """
            for row in rows {
                let until = row.until.map { AppsPage.timeElement($0, dates.day($0)) } ?? HTML.escape(text.untilRevoked)
                let revoke = PortalLayout.buttonForm(
                    action: "/portal/providers/revoke", fields: [("consent_id", row.consentID)], label: text.revokeButton,
                    accessibleName: text.revokeProvider(row.provider), csrf: session.csrfToken)
                // Collecting is offered on the exchange page, and only for providers with an endpoint.
                let collect = row.actions.contains(.collect)
                    ? " <a href=\"\(PortalSection.exchange.path)\">\(HTML.escape(text.exchangeTitle))</a>" : ""
                body += """
                    <tr><th scope="row">\(HTML.escape(row.provider))</th><td>\(HTML.escape(text.list(row.actions.map(text.permission))))</td>\
                    <td>\(AppsPage.timeElement(row.since, dates.day(row.since)))</td><td>\(until)</td><td>\(revoke)\(collect)</td></tr>

                    """
            }
            body += "</tbody>\n</table>\n"
        }
        body += grantForm(text: text, session: session, known: known)
        return PortalLayout.page(text: text, session: session, section: .providers, body: body, status: status)
    }

    private static func grantForm(text: PortalText, session: FrontSession, known: [KnownProvider]) -> String {
        var html = "<section aria-labelledby=\"grant-provider\">\n<h2 id=\"grant-provider\">\(HTML.escape(text.grantProviderTitle))</h2>\n"
        guard !known.isEmpty else { return html + "<p>\(HTML.escape(text.noProvidersKnown))</p>\n</section>\n" }
        html += """
            <form method="post" action="/portal/providers/grant">\(HTML.csrfField(session.csrfToken))
            <p><label for="provider">\(HTML.escape(text.providerLabel))</label><br>
            <select id="provider" name="ura" required>

            """
        for provider in known {
            html += "<option value=\"\(HTML.escape(provider.ura))\">\(HTML.escape(provider.name))</option>\n"
        }
        html += "</select></p>\n<fieldset><legend>\(HTML.escape(text.permissionLegend))</legend>\n"
        for (index, action) in actions.enumerated() {
            let checked = index == 0 ? " checked" : ""
            html += "<label class=\"choice\"><input type=\"radio\" name=\"action\" value=\"\(action.rawValue)\"\(checked)> \(HTML.escape(text.permission(action)))</label>\n"
        }
        html += "</fieldset>\n<fieldset><legend>\(HTML.escape(text.front.periodLegend))</legend>\n"
        for (index, period) in periods.enumerated() {
            let checked = index == 0 ? " checked" : ""
            html += "<label class=\"choice\"><input type=\"radio\" name=\"period\" value=\"\(period.rawValue)\"\(checked)> \(HTML.escape(text.front.period(period)))</label>\n"
        }
        return html + "</fieldset>\n<button type=\"submit\">\(HTML.escape(text.grantButton))</button></form>\n</section>\n"
    }
}
