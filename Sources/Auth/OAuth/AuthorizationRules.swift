import Foundation

/// The MedMij rule for redirect URIs: `https://` + the client's own hostname (its client id) + an
/// optional path; no port, user info, query or fragment. This rule is the registration unless the
/// operator registered explicit redirect URIs for the app (see ``accepts(_:clientID:registered:)``).
///
/// ```swift
/// RedirectURIRule.accepts("https://pgo.example.nl/callback", clientID: "pgo.example.nl")   // true
/// RedirectURIRule.accepts("http://pgo.example.nl/callback", clientID: "pgo.example.nl")    // false
/// ```
public enum RedirectURIRule {
    public static func accepts(_ redirectURI: String, clientID: String) -> Bool {
        let prefix = "https://"
        guard redirectURI.lowercased().hasPrefix(prefix), redirectURI.utf8.count <= 2048 else { return false }
        let rest = redirectURI.dropFirst(prefix.count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        // No user info, port, query or fragment: only the host may precede the path.
        guard authority.lowercased() == clientID.lowercased(), !clientID.isEmpty else { return false }
        guard !path.contains("?"), !path.contains("#") else { return false }
        return path.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" }
    }

    /// With redirect URIs the operator registered for the app (`zorgnet party register --redirect-uri`),
    /// exactly those and nothing else; without any, the MedMij rule. Registered URIs may carry a port,
    /// which two gateways on one host need; they are never taken from a request.
    ///
    /// ```swift
    /// RedirectURIRule.accepts("https://localhost:8443/oauth/callback", clientID: "localhost",
    ///                         registered: ["https://localhost:8443/oauth/callback"])   // true
    /// ```
    public static func accepts(_ redirectURI: String, clientID: String, registered: [String]) -> Bool {
        registered.isEmpty ? accepts(redirectURI, clientID: clientID) : registered.contains(redirectURI)
    }

    /// Whether an operator may register `uri`: https with a host, no user info, query or fragment.
    public static func isRegistrable(_ uri: String) -> Bool {
        guard let components = URLComponents(string: uri), components.scheme == "https", let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil, components.query == nil, components.fragment == nil,
            uri.utf8.count <= 2048
        else { return false }
        return true
    }
}

/// The scope of a MedMij collect (Verzamelen, afsprakenstelsel 2.x): the provider's MedMij name,
/// alone. Other scope forms (`aanbieder~id`, `subscribe~…`, `onbehalfof…`) belong to flows this
/// gateway does not offer.
public enum MedMijScope {
    public static func accepts(_ scope: String, providerName: String) -> Bool {
        scope == providerName
    }
}

/// `state` as RFC 6749 allows it (VSCHAR: printable ASCII), and short enough to echo safely.
public enum OAuthState {
    public static func isValid(_ state: String) -> Bool {
        !state.isEmpty && state.utf8.count <= 1024 && state.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }
}

/// How long a patient's consent to a PGO app lasts, as chosen on the consent screen.
public enum ConsentDuration: String, Sendable, Hashable, CaseIterable, Codable {
    /// One collection: no refresh token; the consent ends with the access token.
    case once
    case threeMonths = "3-months"
    case oneYear = "1-year"
    /// Until the patient revokes it.
    case untilRevoked = "until-revoked"

    /// Whether refresh tokens may be issued.
    public var allowsRefresh: Bool { self != .once }

    /// The end of the consent. For `.once`: the latest moment the one access token can expire
    /// (the code's lifetime plus the access token's), so the consent never outlives it.
    public func end(from start: Date, codeLifetime: Duration, accessTokenLifetime: Duration) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam") ?? .gmt
        switch self {
        case .once:
            return start + TimeInterval(codeLifetime.components.seconds + accessTokenLifetime.components.seconds)
        case .threeMonths: return calendar.date(byAdding: .month, value: 3, to: start)
        case .oneYear: return calendar.date(byAdding: .year, value: 1, to: start)
        case .untilRevoked: return nil
        }
    }
}
