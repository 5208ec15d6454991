import Foundation

/// "Who looked at my data": the access log in plain words, newest first, as a table of when and what.
enum AccessLogPage {
    /// How many events the page shows: recent enough to read, bounded so the page stays small.
    static let limit = 100

    static func render(text: PortalText, session: FrontSession, entries: [AccessLogEntry], now: Date) -> HTMLPage {
        let dates = PortalDateFormat(language: text.language, now: now)
        var body = "<p>\(HTML.escape(text.accessLogIntro))</p>\n"
        if entries.isEmpty {
            body += "<p>\(HTML.escape(text.accessLogEmpty))</p>\n"
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
