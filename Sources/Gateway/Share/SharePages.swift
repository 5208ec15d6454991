import Foundation

/// The HTML of the exchange page and the share flow: server-rendered, every control labelled, every
/// form with the session's CSRF token.
enum SharePages {
    static func exchange(text: PortalText, session: FrontSession, rows: [ExchangeRow]) -> HTMLPage {
        let words = ShareText(language: text.language)
        var body = "<p>\(HTML.escape(words.exchangeIntro))</p>\n"
        guard !rows.isEmpty else {
            body += "<p>\(HTML.escape(words.noEndpoints))</p>\n"
            return PortalLayout.page(text: text, session: session, section: .exchange, body: body)
        }
        body += """
            <table>
            <caption>\(HTML.escape(words.exchangeCaption))</caption>
            <thead><tr><th scope="col">\(HTML.escape(words.providerColumn))</th><th scope="col">\(HTML.escape(words.actionsColumn))</th></tr></thead>
            <tbody>

            """
        for row in rows {
            // Collecting sends the browser to the provider's authorization endpoint (``CollectRoutes``).
            let collect = row.canCollect
                ? PortalLayout.buttonForm(
                    action: "/portal/collect", fields: [("ura", row.ura)], label: text.collectButton,
                    accessibleName: text.collectFrom(row.provider), csrf: session.csrfToken) : ""
            let share = row.canShare
                ? "<a href=\"/portal/share?ura=\(HTML.escape(row.ura))\" aria-label=\"\(HTML.escape(words.shareWith(row.provider)))\">"
                    + "\(HTML.escape(words.shareLink))</a>" : ""
            body += "<tr><th scope=\"row\">\(HTML.escape(row.provider))</th><td>\(collect)\(share)</td></tr>\n"
        }
        body += "</tbody>\n</table>\n"
        return PortalLayout.page(text: text, session: session, section: .exchange, body: body)
    }

    static func choose(text: PortalText, session: FrontSession, ura: String, provider: String, measurements: [ShareMeasurement]) -> HTMLPage {
        let words = ShareText(language: text.language)
        var body = "<p>\(HTML.escape(words.chooseIntro(provider)))</p>\n"
        if measurements.isEmpty {
            body += "<p>\(HTML.escape(words.noMeasurements))</p>\n"
        } else {
            body += """
                <form method="post" action="/portal/share">\(HTML.csrfField(session.csrfToken))
                <input type="hidden" name="ura" value="\(HTML.escape(ura))">
                <fieldset><legend>\(HTML.escape(words.measurementsLegend))</legend>

                """
            for (index, measurement) in measurements.enumerated() {
                let label = [measurement.name, measurement.value, measurement.when].filter { !$0.isEmpty }.joined(separator: ", ")
                body += """
                    <label class="choice" for="measurement-\(index)"><input type="checkbox" id="measurement-\(index)" name="measurement" \
                    value="\(HTML.escape(measurement.id))"> \(HTML.escape(label))</label>

                    """
            }
            body += "</fieldset>\n<button type=\"submit\">\(HTML.escape(words.continueButton(provider)))</button>\n</form>\n"
        }
        body += "<p><a href=\"/portal/exchange\">\(HTML.escape(words.backToExchange))</a></p>\n"
        return HTMLPage(text: text.front, title: words.chooseTitle, body: PortalLayout.navigation(text: text, current: .exchange) + body,
                        languageBack: "/portal/exchange", loggedIn: session.headerLogin)
    }

    /// After the provider answered: one row per measurement sent, with its answer.
    static func result(language: FrontLanguage, provider: String, outcomes: [ShareEntryOutcome]) -> HTMLPage {
        let words = ShareText(language: language)
        var body = "<p>\(HTML.escape(words.resultIntro(provider)))</p>\n<table>\n<caption>\(HTML.escape(words.resultCaption))</caption>\n"
        body += "<thead><tr><th scope=\"col\">\(HTML.escape(words.measurementColumn))</th><th scope=\"col\">\(HTML.escape(words.answerColumn))</th></tr></thead>\n<tbody>\n"
        for outcome in outcomes {
            let label = [outcome.measurement.name, outcome.measurement.value, outcome.measurement.when].filter { !$0.isEmpty }.joined(separator: ", ")
            body += "<tr><th scope=\"row\">\(HTML.escape(label))</th><td>\(HTML.escape(words.answer(outcome)))</td></tr>\n"
        }
        body += "</tbody>\n</table>\n<p><a href=\"/portal/exchange\">\(HTML.escape(words.backToExchange))</a></p>\n"
        return HTMLPage(text: FrontText(language: language), title: words.resultTitle, body: body, languageBack: "/portal/exchange")
    }
}
