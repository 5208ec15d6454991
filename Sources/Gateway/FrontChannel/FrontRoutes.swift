import HTTPTypes
import Hummingbird
import NIOCore

/// The browser-facing listener: security headers and page errors, the CSRF check of every POST,
/// the home page, the stylesheet, the language switch, login, logout and the MedMij authorization
/// pages. Later pages (the patient portal) register after ``register(on:)`` and inherit all of it.
struct FrontRoutes: Sendable {
    let oauth: OAuthComponents

    func register(on router: Router<GatewayRequestContext>) {
        // Order matters: Hummingbird applies router middleware to the routes added after it.
        router.add(middleware: FrontPageMiddleware())
        router.add(middleware: SessionCSRFMiddleware(sessions: oauth.sessions))

        router.get("/") { request, _ in
            let text = FrontText(language: .of(request))
            let session = try await oauth.sessions.current(request)
            var body = "<p>\(HTML.escape(text.homeIntro))</p>\n"
            if session?.data.user == nil { body += "<p><a href=\"/login\">\(HTML.escape(text.homeLogin))</a></p>" }
            return HTMLPage(text: text, title: text.homeTitle, body: body, languageBack: "/", loggedIn: session?.headerLogin).response()
        }
        router.get("/assets/zorgnet.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: HTMLPage.stylesheet)))
        }
        // A language preference is no state worth a CSRF token: a GET that sets a cookie and goes back.
        router.get("/language") { request, _ in
            let chosen = request.uri.queryParameters.get("set").flatMap(FrontLanguage.init(rawValue:)) ?? .nl
            let back = Self.localPath(request.uri.queryParameters.get("back")) ?? "/"
            var headers = HTTPFields()
            headers[.location] = back
            headers[.setCookie] = "\(FrontLanguage.cookieName)=\(chosen.rawValue); Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=31536000"
            return Response(status: .seeOther, headers: headers)
        }
        LoginRoutes(oauth: oauth).register(on: router)
        AuthorizeRoutes(oauth: oauth).register(on: router)
    }

    /// `path` if it is a path on this site (so the switch cannot send anyone elsewhere), else nil.
    static func localPath(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"),
            path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return nil }
        return path
    }
}
