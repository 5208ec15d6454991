import Auth
import Foundation

/// What the front channel keeps in a browser session, server-side (the browser holds only the
/// random session id). Add fields for new pages here; unknown or missing fields decode as absent, so
/// sessions stored by an older version stay readable.
struct SessionData: Codable, Sendable, Hashable {
    /// Who is logged in, once every login step (including the second factor) succeeded.
    var user: SessionUser?
    /// Identified by a login provider, still to pass the second factor.
    var pendingLogin: PendingLogin?
    /// A PGO app's authorization request, kept here (not in hidden form fields) until the patient decides.
    var pendingAuthorization: PendingAuthorization?

    init(user: SessionUser? = nil, pendingLogin: PendingLogin? = nil, pendingAuthorization: PendingAuthorization? = nil) {
        self.user = user
        self.pendingLogin = pendingLogin
        self.pendingAuthorization = pendingAuthorization
    }
}

struct SessionUser: Codable, Sendable, Hashable {
    var identity: LoginIdentity
    var loggedInAtMilliseconds: Int64
}

struct PendingLogin: Codable, Sendable, Hashable {
    var identity: LoginIdentity
    var failedAttempts: Int = 0

    /// Wrong second-factor codes allowed before the login must start over (six digits, so a guess
    /// succeeds with odds of 5 in a million).
    static let maximumFailedAttempts = 5
}

/// A validated MedMij authorization request (`GET /oauth/authorize`).
struct PendingAuthorization: Codable, Sendable, Hashable {
    var partyID: String
    var clientID: String
    /// The PGO's organisation name, as the consent screen shows it (the registry's display name).
    var organisationName: String
    var redirectURI: String
    var state: String
    var scope: String
    var requestID: String?
    var correlationID: String?
    var receivedAtMilliseconds: Int64
}

/// A loaded session: its id (known only in memory, from the cookie) and its data.
struct FrontSession: Sendable {
    /// The cookie value. Never stored, never logged.
    let id: String
    var data: SessionData
    let createdAtMilliseconds: Int64
    let expiresAtMilliseconds: Int64

    /// The token every form of this session carries.
    var csrfToken: String { SessionManager.csrfToken(sessionID: id) }

    /// For the page header: the name and the token of the logout form.
    var headerLogin: (name: String, csrf: String)? {
        data.user.map { ($0.identity.displayName, csrfToken) }
    }
}
