import Auth
import Consent
import Exchange

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
        // A share request (scope `<provider>~5`) asks to send measurements in, not to take data out:
        // the screen says so, and the consent it records is for that only (``ShareConsent``).
        let sharing = pending.scope.hasSuffix("~" + ProviderEndpoints.selfMeasurementsDataServiceID)
        let name = pending.organisationName
        let intro = sharing
            ? pick(text, "\(name) wil uw eigen metingen naar uw dossier hier sturen:", "\(name) wants to send your own measurements to your record here:")
            : text.consentIntro(name)
        body += "<p>\(HTML.escape(intro))</p>\n<ul>\n"
        for category in sharing ? ShareConsent.categories : BgZConsent.categories {
            body += "<li>\(HTML.escape(text.category(category)))</li>\n"
        }
        body += "</ul>\n<form method=\"post\" action=\"/oauth/consent\">\(HTML.csrfField(session.csrfToken))\n"
        let statement = sharing
            ? pick(text, "Ik bevestig dat \(name) deze metingen naar mijn dossier mag sturen. \(name) kan hiermee niets uit mijn dossier ophalen.",
                   "I confirm that \(name) may send these measurements to my record. \(name) cannot collect anything from my record with this.")
            : text.consentStatement(name)
        body += "<p>\(HTML.escape(statement))</p>\n"
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

    private static func pick(_ text: FrontText, _ nl: String, _ en: String) -> String {
        text.language == .nl ? nl : en
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
