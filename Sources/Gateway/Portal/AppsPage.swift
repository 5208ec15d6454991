import Consent
import Foundation

/// One PGO app with access, all its consents taken together.
struct AppAccess: Sendable, Hashable {
    let clientID: String
    let name: String
    let since: Date
    /// Nil: until the patient revokes it.
    let until: Date?
    let permitted: [DataCategory]
    let excepted: [DataCategory]

    /// Groups the app consents by app: the earliest start, the latest end, every category.
    static func group(_ consents: [PortalConsent], names: [String: String]) -> [AppAccess] {
        var byApp: [String: [PortalConsent]] = [:]
        for consent in consents {
            if case .pgoApp(let clientID) = consent.actor { byApp[clientID, default: []].append(consent) }
        }
        return byApp.map { clientID, consents in
            let permitted = Set(consents.flatMap(\.permitted))
            let excepted = Set(consents.flatMap(\.excepted))
            return AppAccess(
                clientID: clientID, name: names[clientID] ?? clientID, since: consents.map(\.since).min() ?? Date(),
                until: consents.contains { $0.until == nil } ? nil : consents.compactMap(\.until).max(),
                permitted: permitted.contains(.everything) ? [.everything] : DataCategory.allCases.filter(permitted.contains),
                excepted: DataCategory.allCases.filter(excepted.contains))
        }.sorted { ($0.name, $0.clientID) < ($1.name, $1.clientID) }
    }
}

/// "My apps": the PGO apps that may collect the patient's data, since when, until when, which data;
/// a revoke button per app.
enum AppsPage {
    static func render(text: PortalText, session: FrontSession, apps: [AppAccess], now: Date, status: String?) -> HTMLPage {
        let dates = PortalDateFormat(language: text.language, now: now)
        var body = ""
        if apps.isEmpty {
            body += "<p>\(HTML.escape(text.noApps))</p>\n"
        } else {
            body += """
                <table>
                <caption>\(HTML.escape(text.appsCaption))</caption>
                <thead><tr><th scope="col">\(HTML.escape(text.appColumn))</th><th scope="col">\(HTML.escape(text.sinceColumn))</th><th scope="col">\(HTML.escape(text.untilColumn))</th><th scope="col">\(HTML.escape(text.dataColumn))</th><th scope="col">\(HTML.escape(text.actionColumn))</th></tr></thead>
                <tbody>

                """
            for app in apps {
                let until = app.until.map { timeElement($0, dates.day($0)) } ?? HTML.escape(text.untilRevoked)
                let revoke = PortalLayout.buttonForm(
                    action: "/portal/apps/revoke", fields: [("client_id", app.clientID)], label: text.revokeButton,
                    accessibleName: text.revokeApp(app.name), csrf: session.csrfToken)
                body += """
                    <tr><th scope="row">\(HTML.escape(app.name))</th><td>\(timeElement(app.since, dates.day(app.since)))</td><td>\(until)</td>\
                    <td>\(HTML.escape(PortalLayout.categories(app.permitted, except: app.excepted, text: text)))</td><td>\(revoke)</td></tr>

                    """
            }
            body += "</tbody>\n</table>\n<p class=\"note\">\(HTML.escape(text.revokeAppNote))</p>\n"
        }
        return PortalLayout.page(text: text, session: session, section: .apps, body: body, status: status)
    }

    static func timeElement(_ date: Date, _ shown: String) -> String {
        "<time datetime=\"\(PortalDateFormat.machine(date))\">\(HTML.escape(shown))</time>"
    }
}
