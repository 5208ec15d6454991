import Consent

/// The sections of the portal, each a page of its own under `/portal`.
enum PortalSection: String, Sendable, CaseIterable {
    case apps
    case providers
    case members
    /// Collecting from and sharing with care providers (Sources/Gateway/Share).
    case exchange
    case accessLog = "access-log"

    var path: String { "/portal/\(rawValue)" }

    func title(_ text: PortalText) -> String {
        switch self {
        case .apps: text.appsTitle
        case .providers: text.providersTitle
        case .members: text.membersTitle
        case .exchange: text.exchangeTitle
        case .accessLog: text.accessLogTitle
        }
    }

    func summary(_ text: PortalText) -> String {
        switch self {
        case .apps: text.appsSummary
        case .providers: text.providersSummary
        case .members: text.membersSummary
        case .exchange: text.exchangeSummary
        case .accessLog: text.accessLogSummary
        }
    }
}

/// The portal's frame inside the gateway's one page layout (``HTMLPage``: `lang`, skip link, the
/// header with the language switch and the logout button): a navigation list of the sections, the
/// current one marked with `aria-current`, and a status message after a change.
enum PortalLayout {
    static func page(
        text: PortalText, session: FrontSession, section: PortalSection?, body: String, status: String? = nil
    ) -> HTMLPage {
        var html = navigation(text: text, current: section)
        // role="status": screen readers announce the outcome of the change just made.
        if let status { html += "<p class=\"notice\" role=\"status\">\(HTML.escape(status))</p>\n" }
        html += body
        return HTMLPage(
            text: text.front, title: section?.title(text) ?? text.portalTitle, body: html, languageBack: section?.path ?? "/portal",
            loggedIn: session.headerLogin)
    }

    static func navigation(text: PortalText, current: PortalSection?) -> String {
        var html = "<nav aria-label=\"\(HTML.escape(text.navigationLabel))\"><ul>\n"
        let overviewCurrent = current == nil ? " aria-current=\"page\"" : ""
        html += "<li><a href=\"/portal\"\(overviewCurrent)>\(HTML.escape(text.portalTitle))</a></li>\n"
        for section in PortalSection.allCases {
            let marker = section == current ? " aria-current=\"page\"" : ""
            html += "<li><a href=\"\(section.path)\"\(marker)>\(HTML.escape(section.title(text)))</a></li>\n"
        }
        return html + "</ul></nav>\n"
    }

    /// The landing page: what each section is for.
    static func overview(text: PortalText, session: FrontSession) -> HTMLPage {
        var body = "<p>\(HTML.escape(text.overviewIntro))</p>\n"
        for section in PortalSection.allCases {
            body += """
                <section aria-labelledby="section-\(section.rawValue)">
                <h2 id="section-\(section.rawValue)"><a href="\(section.path)">\(HTML.escape(section.title(text)))</a></h2>
                <p>\(HTML.escape(section.summary(text)))</p>
                </section>

                """
        }
        return page(text: text, session: session, section: nil, body: body)
    }

    /// A form that posts one hidden value with a button; every form carries the session's CSRF token.
    static func buttonForm(action: String, fields: [(String, String)], label: String, accessibleName: String, csrf: String) -> String {
        var html = "<form method=\"post\" action=\"\(HTML.escape(action))\">\(HTML.csrfField(csrf))"
        for (name, value) in fields {
            html += "<input type=\"hidden\" name=\"\(HTML.escape(name))\" value=\"\(HTML.escape(value))\">"
        }
        return html + "<button type=\"submit\" aria-label=\"\(HTML.escape(accessibleName))\">\(HTML.escape(label))</button></form>"
    }

    /// Categories in words: "Medicatie, Allergieën", or "Alle gegevens"; with the exceptions.
    static func categories(_ permitted: [DataCategory], except excepted: [DataCategory] = [], text: PortalText) -> String {
        var result = permitted.map(text.front.category).joined(separator: ", ")
        if !excepted.isEmpty { result += " (" + text.except(excepted.map(text.front.category).joined(separator: ", ")) + ")" }
        return result
    }
}
