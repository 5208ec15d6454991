import Auth
import Consent

/// The HTML of the MedMij authorization pages: landing page, consent screen, error page.
enum ConsentPages {
    /// "You are at Zorgnet Gateway; this app asks for your data": then log in (or go on when logged in
    /// already), or cancel.
    static func landing(text: FrontText, session: FrontSession, pending: PendingAuthorization) -> HTMLPage {
        var body = "<p>\(HTML.escape(text.landingText(pending.organisationName)))</p>\n"
        if let user = session.data.user, user.identity.patientID != nil {
            body += "<p>\(HTML.escape(text.landingLoggedIn))</p>\n<p><a href=\"/oauth/consent\">\(HTML.escape(text.continueButton))</a></p>\n"
        } else {
            body += "<p><a href=\"/login\">\(HTML.escape(text.loginButton))</a></p>\n"
        }
        body += cancelForm(text: text, session: session)
        return HTMLPage(text: text, title: text.landingTitle, body: body, languageBack: "/oauth/landing", loggedIn: session.headerLogin)
    }

    /// The consent screen: who asks (the PGO's organisation name), which data (the BgZ sections in
    /// plain words), the fixed consent statement, how long; allow or deny.
    static func consent(text: FrontText, session: FrontSession, pending: PendingAuthorization, error: String? = nil) -> HTMLPage {
        var body = error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>\n" } ?? ""
        body += "<p>\(HTML.escape(text.consentIntro(pending.organisationName)))</p>\n<ul>\n"
        for category in BgZConsent.categories {
            body += "<li>\(HTML.escape(text.category(category)))</li>\n"
        }
        body += "</ul>\n<form method=\"post\" action=\"/oauth/consent\">\(HTML.csrfField(session.csrfToken))\n"
        body += "<p>\(HTML.escape(text.consentStatement(pending.organisationName)))</p>\n"
        body += "<fieldset><legend>\(HTML.escape(text.periodLegend))</legend>\n"
        for duration in ConsentDuration.allCases {
            // "This time only" is preselected: the choice that shares least.
            let checked = duration == .once ? " checked" : ""
            body += """
                <label class="choice"><input type="radio" name="period" value="\(duration.rawValue)"\(checked)> \(HTML.escape(text.period(duration)))</label>

                """
        }
        body += """
            </fieldset>
            <button type="submit" name="decision" value="allow">\(HTML.escape(text.allowButton))</button>
            <button type="submit" name="decision" value="deny">\(HTML.escape(text.denyButton))</button>
            </form>
            """
        return HTMLPage(text: text, title: text.consentTitle, body: body, languageBack: "/oauth/consent", loggedIn: session.headerLogin)
    }

    /// For a professional who reached the consent screen: only the patient may decide.
    static func onlyPatients(text: FrontText, session: FrontSession) -> HTMLPage {
        HTMLPage(
            text: text, title: text.consentTitle, body: "<p class=\"error\" role=\"alert\">\(HTML.escape(text.onlyPatients))</p>",
            languageBack: "/oauth/consent", loggedIn: session.headerLogin)
    }

    private static func cancelForm(text: FrontText, session: FrontSession) -> String {
        """
        <form method="post" action="/oauth/cancel">\(HTML.csrfField(session.csrfToken))
        <button type="submit">\(HTML.escape(text.cancelButton))</button></form>
        """
    }
}
