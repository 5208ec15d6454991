import HTTPTypes
import Hummingbird
import NIOCore

/// Escapes text for HTML element content and quoted attribute values.
enum HTML {
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(character)
            }
        }
        return output
    }

    /// The hidden CSRF field every form carries.
    static func csrfField(_ token: String) -> String {
        "<input type=\"hidden\" name=\"\(SessionManager.csrfFieldName)\" value=\"\(escape(token))\">"
    }
}

/// A server-rendered page in the gateway's one layout: language attribute, skip link, header with the
/// language switch (and a logout button when someone is logged in), one `h1`, no JavaScript. The
/// stylesheet comes from `/assets/zorgnet.css` because the CSP (`default-src 'self'`) refuses inline styles.
///
/// ```swift
/// let page = HTMLPage(text: text, title: text.loginTitle, body: "<p>…</p>", languageBack: "/login")
/// return page.response(status: .ok)
/// ```
struct HTMLPage {
    let text: FrontText
    let title: String
    /// Already-escaped HTML for inside `<main>`, after the `h1`.
    let body: String
    /// Where the language switch returns to (a GET page showing the same thing).
    let languageBack: String
    /// Shown in the header with a logout button when set.
    var loggedIn: (name: String, csrf: String)? = nil

    func render() -> String {
        let other = text.language.other
        let switchLink =
            "/language?set=\(other.rawValue)&amp;back=\(HTML.escape(QueryString.encode(languageBack)))"
        var header = """
            <header><p class="brand"><a href="/">Zorgnet Gateway</a></p>
            <nav aria-label="\(HTML.escape(text.languageNavigation))"><a href="\(switchLink)" lang="\(other.rawValue)" hreflang="\(other.rawValue)">\(HTML.escape(other.nativeName))</a></nav>
            """
        if let loggedIn {
            header += """
                <form class="logout" method="post" action="/logout">\(HTML.csrfField(loggedIn.csrf))
                <p>\(HTML.escape(text.loggedInAs(loggedIn.name)))</p><button type="submit">\(HTML.escape(text.logout))</button></form>
                """
        }
        header += "</header>"
        return """
            <!doctype html>
            <html lang="\(text.language.rawValue)">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) – Zorgnet Gateway</title>
            <link rel="stylesheet" href="/assets/zorgnet.css"></head>
            <body>
            <a class="skip" href="#main">\(HTML.escape(text.skipToContent))</a>
            \(header)
            <main id="main">
            <h1>\(HTML.escape(title))</h1>
            \(body)
            </main>
            </body></html>
            """
    }

    func response(status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentLanguage] = text.language.rawValue
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: render())))
    }

    /// The stylesheet: readable type, visible focus, large targets. Served as a file for the CSP.
    static let stylesheet = """
        body { font-family: system-ui, sans-serif; font-size: 1.1rem; line-height: 1.5; max-width: 44rem; margin: 0 auto; padding: 1rem; color: #1b1b1b; background: #fff; }
        a { color: #154273; }
        :focus-visible { outline: 3px solid #ffb612; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { position: static; }
        header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; border-bottom: 1px solid #ccc; }
        .brand a { font-weight: bold; text-decoration: none; }
        button { font-size: 1rem; padding: 0.6rem 1.2rem; margin: 0.3rem 0.5rem 0.3rem 0; cursor: pointer; }
        input[type=text] { font-size: 1.1rem; padding: 0.4rem; }
        fieldset { margin: 1rem 0; border: 1px solid #ccc; }
        .choice { display: block; padding: 0.3rem 0; }
        .error { border-left: 4px solid #d52b1e; padding-left: 0.8rem; }
        .secret { font-family: monospace; font-size: 1.2rem; letter-spacing: 0.1rem; }
        figure svg { width: 14rem; height: 14rem; }
        .note { color: #555; font-size: 0.95rem; }
        """
}
