import Hummingbird
import NIOCore

/// The browser-facing listener. The patient portal and the OAuth authorize endpoint will live here;
/// for now it answers a landing page so a browser can see the gateway is up.
struct FrontRoutes: Sendable {
    func register(on router: Router<GatewayRequestContext>) {
        router.get("/") { _, _ in
            let page = """
                <!doctype html>
                <html lang="nl"><head><meta charset="utf-8"><title>Zorgnet Gateway</title></head>
                <body><h1>Zorgnet Gateway</h1>
                <p>Deze gateway verbindt uw persoonlijk zorgnet met de zorg. / This gateway connects your personal care community with Dutch care.</p>
                </body></html>
                """
            return Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: "default-src 'none'"],
                body: .init(byteBuffer: ByteBuffer(string: page)))
        }
    }
}
