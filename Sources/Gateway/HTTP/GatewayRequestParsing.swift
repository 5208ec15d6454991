import Auth

/// The parsing of query strings and form bodies (search, authorize, token, revoke), reachable from
/// outside the module for the fuzz targets in `Fuzz/` only (SPI `Fuzzing`, not part of the gateway's
/// API). Nothing here is new behaviour: each function runs what the routes run on the same text,
/// minus HTTP, the session and the database.
@_spi(Fuzzing) public enum GatewayRequestParsing {
    /// What `GET /oauth/authorize` reads from its query before it looks anything up.
    public struct Authorization: Sendable, Hashable {
        public var clientID: String?
        public var redirectURI: String?
        /// Whether ``redirectURI`` passes the MedMij rule for ``clientID`` (no registered URIs).
        public var redirectURIAllowed: Bool
        public var responseType: String?
        public var state: String?
        public var stateValid: Bool
        public var scope: String?
        /// Whether ``scope`` asks for collecting or sharing at `providerName`.
        public var scopeRecognised: Bool
        /// Of `response_type`, `scope` and `state`, those given more than once.
        public var repeated: [String]
        public var requestID: String?
        public var correlationID: String?
    }

    /// Parses the query of an authorization request as ``AuthorizeRoutes`` does; nil for a malformed
    /// percent-encoding (the route's "malformed query" error page).
    public static func authorization(query: String, providerName: String) -> Authorization? {
        guard let parameters = AuthorizationParameters(query: query) else { return nil }
        let clientID = parameters.single("client_id")
        let redirectURI = parameters.single("redirect_uri")
        let state = parameters.single("state")
        let scope = parameters.single("scope")
        return Authorization(
            clientID: clientID, redirectURI: redirectURI,
            redirectURIAllowed: redirectURI.map { RedirectURIRule.accepts($0, clientID: clientID ?? "", registered: []) } ?? false,
            responseType: parameters.single("response_type"), state: state, stateValid: state.map(OAuthState.isValid) ?? false,
            scope: scope, scopeRecognised: scope.flatMap { RequestedScope($0, providerName: providerName) } != nil,
            repeated: ["response_type", "scope", "state"].filter(parameters.isRepeated),
            requestID: parameters.first("MedMij-Request-ID"), correlationID: parameters.first("X-Correlation-ID"))
    }

    /// Parses an `application/x-www-form-urlencoded` token or revocation body: malformed encoding and
    /// repeated parameters are refused. The token and revoke routes parse their bodies with this.
    public static func tokenForm(_ body: String) throws(TokenRequestError) -> [String: String] {
        guard let pairs = try? QueryString.parse(body, form: true) else { throw TokenRequestError.malformedBody }
        var form: [String: String] = [:]
        for pair in pairs {
            guard form[pair.name] == nil else { throw TokenRequestError.repeatedParameter(pair.name) }
            form[pair.name] = pair.value
        }
        return form
    }

    /// A query string or form body split into decoded pairs (``QueryString/parse(_:form:)``), as the
    /// search, authorize and token routes split theirs.
    public static func pairs(_ query: String, form: Bool) throws -> [(name: String, value: String)] {
        try QueryString.parse(query, form: form)
    }

    /// A value percent-encoded as the gateway writes it into links and redacted URIs.
    public static func encode(_ text: String) -> String {
        QueryString.encode(text)
    }

    /// The token endpoint's query moved into the form body, secrets redacted for the audit log, as
    /// `OAuthQueryCredentialsMiddleware` writes it.
    public static func redactedQuery(_ pairs: [(name: String, value: String)]) -> String {
        OAuthQueryCredentialsMiddleware.encode(OAuthQueryCredentialsMiddleware.redacted(pairs))
    }
}
