import Auth

/// The demo PGO app of `serve --demo` ("pgo-demo", client id `pgo-demo.zorgnet.test`): where its
/// authorization flow starts and where it ends.
public enum DemoPGO {
    public static let clientID = DevPKI.pgoDemoClientID
    /// An https address on the app's own host, as the redirect URI rule demands. Nothing answers
    /// there: the browser stops on it with the code in the address bar, for `Scripts/demo-pgo-token.sh`.
    public static let redirectURI = "https://\(DevPKI.pgoDemoClientID)/callback"

    /// The authorization request the demo app would send the patient's browser to.
    public static func authorizationURL(front: String, scope: String, state: String = "demo") -> String {
        let query = [
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI), ("scope", scope), ("state", state),
        ]
        return front + "/oauth/authorize?" + query.map { "\($0.0)=\(QueryString.encode($0.1))" }.joined(separator: "&")
    }
}
