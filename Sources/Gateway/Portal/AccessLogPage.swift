import Foundation

/// "Who looked at my data": the access log in plain words, newest first, as a table of when and what.
enum AccessLogPage {
    /// How many events the page shows: recent enough to read, bounded so the page stays small.
    static let limit = 100

    static func render(
        text: PortalText, session: FrontSession, entries: [AccessLogEntry], now: Date,
        filter: AccessLogFilter = AccessLogFilter(), actors: [(id: String, name: String)] = [], rejected: [String] = []
    ) -> HTMLPage {
        let dates = PortalDateFormat(language: text.language, now: now)
        var body = "<p>\(HTML.escape(text.accessLogIntro))</p>\n"
        body += filterForm(text: text, filter: filter, actors: actors)
        if !rejected.isEmpty {
            body += "<p class=\"notice\" role=\"status\">\(HTML.escape(text.dateNotUnderstood(rejected.joined(separator: ", "))))</p>\n"
        }
        if entries.isEmpty {
            body += "<p>\(HTML.escape(filter.isEmpty ? text.accessLogEmpty : text.accessLogNothingMatches))</p>\n"
        } else {
            body += """
                <table>
                <caption>\(HTML.escape(text.accessLogCaption))</caption>
                <thead><tr><th scope="col">\(HTML.escape(text.whenColumn))</th><th scope="col">\(HTML.escape(text.whatColumn))</th></tr></thead>
                <tbody>

                """
            for entry in entries {
                let shown = "\(dates.day(entry.when)), \(dates.time(entry.when))"
                body += "<tr><td>\(AppsPage.timeElement(entry.when, shown))</td><td>\(HTML.escape(entry.sentence))</td></tr>\n"
            }
            body += "</tbody>\n</table>\n"
        }
        return PortalLayout.page(text: text, session: session, section: .accessLog, body: body)
    }
}

extension AccessLogPage {
    /// A GET form: the filter lands in the address, so a filtered view can be bookmarked or reloaded.
    static func filterForm(text: PortalText, filter: AccessLogFilter, actors: [(id: String, name: String)]) -> String {
        var html = """
            <form method="get" action="/portal/access-log" class="filter"><fieldset><legend>\(HTML.escape(text.filterLegend))</legend>
            <p><label for="from">\(HTML.escape(text.filterFrom))</label> <input type="date" id="from" name="from" value="\(HTML.escape(filter.from ?? ""))"></p>
            <p><label for="to">\(HTML.escape(text.filterTo))</label> <input type="date" id="to" name="to" value="\(HTML.escape(filter.to ?? ""))"></p>
            <p><label for="actor">\(HTML.escape(text.filterActor))</label> <select id="actor" name="actor">
            <option value="">\(HTML.escape(text.filterEveryone))</option>

            """
        for actor in actors {
            let selected = actor.id == filter.actor ? " selected" : ""
            html += "<option value=\"\(HTML.escape(actor.id))\"\(selected)>\(HTML.escape(actor.name))</option>\n"
        }
        html += "</select></p>\n<p><button type=\"submit\">\(HTML.escape(text.filterApply))</button></p></fieldset></form>\n"
        return html
    }
}
