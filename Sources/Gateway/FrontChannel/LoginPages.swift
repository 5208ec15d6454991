import Auth

/// The HTML of the login pages.
enum LoginPages {
    /// The login methods on offer, each as a form (stand-ins) or a link (a real identity broker).
    static func login(
        text: FrontText, providers: [(provider: any LoginProvider, start: LoginStart)], session: FrontSession, error: String? = nil
    ) -> HTMLPage {
        var body = error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>\n" } ?? ""
        if providers.isEmpty {
            body += "<p role=\"status\">\(HTML.escape(text.noLoginMethod))</p>\n"
        } else if providers.contains(where: { $0.provider.isStandIn }) {
            body += "<p class=\"note\">\(HTML.escape(text.standInNote))</p>\n"
        }
        for (provider, start) in providers {
            let id = HTML.escape(provider.id)
            body += "<section aria-labelledby=\"provider-\(id)\">\n<h2 id=\"provider-\(id)\">\(HTML.escape(text.providerTitle(provider)))</h2>\n"
            switch start {
            case .form(let choices, let acceptsTypedIdentifier):
                body += "<form method=\"post\" action=\"/login/\(id)\">\(HTML.csrfField(session.csrfToken))\n"
                body += "<fieldset><legend>\(HTML.escape(text.choiceLegend(provider.audience)))</legend>\n"
                if choices.isEmpty { body += "<p>\(HTML.escape(text.noChoices))</p>\n" }
                for choice in choices {
                    let detail = choice.detail.map { " <span class=\"note\">(\(HTML.escape($0)))</span>" } ?? ""
                    body += """
                        <label class="choice"><input type="radio" name="choice" value="\(HTML.escape(choice.value))"> \(HTML.escape(choice.label))\(detail)</label>

                        """
                }
                body += "</fieldset>\n"
                if acceptsTypedIdentifier {
                    body += """
                        <p><label for="bsn-\(id)">\(HTML.escape(text.bsnLabel))</label><br>
                        <input type="text" id="bsn-\(id)" name="bsn" inputmode="numeric" autocomplete="off" aria-describedby="bsn-hint-\(id)">
                        <span id="bsn-hint-\(id)" class="note">\(HTML.escape(text.bsnHint))</span></p>

                        """
                }
                body += "<button type=\"submit\">\(HTML.escape(text.loginButton))</button></form>\n"
            case .redirect(let url):
                body += "<p><a href=\"\(HTML.escape(url))\">\(HTML.escape(text.continueButton))</a></p>\n"
            }
            body += "</section>\n"
        }
        return HTMLPage(text: text, title: text.loginTitle, body: body, languageBack: "/login", loggedIn: session.headerLogin)
    }

    /// The TOTP step: enrolment (QR code and the key as text) on first login, else just the code.
    static func secondFactor(
        text: FrontText, session: FrontSession, enrolment: TOTPSecondFactor.Enrolment?, error: String? = nil
    ) -> HTMLPage {
        var body = error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>\n" } ?? ""
        if let enrolment {
            body += """
                <p>\(HTML.escape(text.enrolIntro))</p>
                <figure>\(enrolment.qrSVG)<figcaption>\(HTML.escape(text.qrCaption))</figcaption></figure>
                <p>\(HTML.escape(text.secretLabel)) <code class="secret" id="totp-secret">\(HTML.escape(grouped(enrolment.secretBase32)))</code></p>

                """
        } else {
            body += "<p>\(HTML.escape(text.codeIntro))</p>\n"
        }
        body += """
            <form method="post" action="/login/second-factor">\(HTML.csrfField(session.csrfToken))
            <p><label for="code">\(HTML.escape(text.codeLabel))</label><br>
            <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required></p>
            <button type="submit">\(HTML.escape(text.confirmButton))</button></form>
            """
        return HTMLPage(
            text: text, title: enrolment == nil ? text.secondFactorTitle : text.enrolTitle, body: body,
            languageBack: "/login/second-factor")
    }

    static func loggedOut(text: FrontText) -> HTMLPage {
        HTMLPage(
            text: text, title: text.loggedOutTitle,
            body: "<p>\(HTML.escape(text.loggedOutText))</p>\n<p><a href=\"/\">Zorgnet Gateway</a></p>", languageBack: "/")
    }

    /// Groups of four, easier to type over; authenticator apps ignore the spaces.
    static func grouped(_ secret: String) -> String {
        var result = ""
        for (index, character) in secret.enumerated() {
            if index > 0, index % 4 == 0 { result += " " }
            result.append(character)
        }
        return result
    }
}
