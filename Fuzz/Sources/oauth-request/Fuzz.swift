import Auth
@_spi(Fuzzing) import Gateway

// OAuth request parsing: the query of `GET /oauth/authorize` (client_id, redirect_uri and its MedMij
// rule, state, scope, repeated parameters) and the form body of `POST /oauth/token` and
// `/oauth/revoke`, through `GatewayRequestParsing`, which runs the routes' own parsing.
// Whatever splits into pairs must survive the gateway's own encoding: encode, then parse, is the same.

let providerName = "zorgnet@medmij"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let authorization = GatewayRequestParsing.authorization(query: text, providerName: providerName) {
        if authorization.stateValid, let state = authorization.state {
            precondition(OAuthState.isValid(state) && state.utf8.count <= 1024)
        }
        if authorization.redirectURIAllowed, let uri = authorization.redirectURI {
            precondition(uri.lowercased().hasPrefix("https://"), "redirect URI \(uri) accepted")
        }
    }
    // A thrown TokenRequestError is the endpoint's 400, not a finding.
    _ = try? GatewayRequestParsing.tokenForm(text)
    for form in [false, true] {
        guard let pairs = try? GatewayRequestParsing.pairs(text, form: form) else { continue }
        let encoded = pairs.map { GatewayRequestParsing.encode($0.name) + "=" + GatewayRequestParsing.encode($0.value) }.joined(separator: "&")
        let decoded: [(name: String, value: String)]
        do {
            decoded = try GatewayRequestParsing.pairs(encoded, form: form)
        } catch {
            fatalError("the gateway's own encoding does not parse: \(error)")
        }
        precondition(decoded.map(\.name) == pairs.map(\.name) && decoded.map(\.value) == pairs.map(\.value), "encoding does not round-trip")
        _ = GatewayRequestParsing.redactedQuery(pairs)
    }
    return 0
}
