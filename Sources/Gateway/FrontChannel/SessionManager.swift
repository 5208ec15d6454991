import Auth
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Browser sessions for the front channel: a random id in a `__Host-` cookie (HttpOnly, Secure,
/// SameSite=Strict, Path=/), only its SHA-256 hash stored; an idle timeout and an absolute lifetime;
/// a CSRF token per session for every form.
///
/// Pages use it like this (the CSRF check of every POST is done by ``SessionCSRFMiddleware``):
///
/// ```swift
/// var (session, isNew) = try await sessions.currentOrNew(request)
/// session.data.pendingAuthorization = pending
/// try await sessions.save(session)
/// var headers = HTTPFields()
/// if isNew { headers[.setCookie] = sessions.cookie(for: session) }
/// let form = "<form method=\"post\" action=\"/x\">" + HTML.csrfField(session.csrfToken) + "…</form>"
/// ```
struct SessionManager: Sendable {
    /// `__Host-`: the browser only accepts it with Secure, Path=/ and no Domain, from this very host.
    static let cookieName = "__Host-zorgnet-session"
    static let csrfFieldName = "csrf"

    let store: FrontSessionStore
    let idleTimeoutSeconds: Int
    let lifetimeSeconds: Int

    /// The session the request's cookie names, if it exists and has neither idled out nor passed its
    /// absolute end; its idle clock restarts. An expired session is deleted.
    func current(_ request: Request, now: Date = Date()) async throws -> FrontSession? {
        guard let id = request.cookies[Self.cookieName]?.value, SecretToken.isWellFormed(id) else { return nil }
        let hash = SecretToken.hash(id)
        guard let record = try await store.find(hash: hash) else { return nil }
        let nowMilliseconds = Instant.milliseconds(now)
        guard nowMilliseconds < record.expiresAtMilliseconds,
            nowMilliseconds < record.lastSeenAtMilliseconds + Int64(idleTimeoutSeconds) * 1000
        else {
            try await store.delete(hash: hash)
            return nil
        }
        // Unreadable data (a corrupted row) is treated as an empty session rather than an error page.
        let data = (try? JSONDecoder().decode(SessionData.self, from: Data(record.data))) ?? SessionData()
        try await store.update(hash: hash, data: record.data, lastSeenAtMilliseconds: nowMilliseconds)
        return FrontSession(
            id: id, data: data, createdAtMilliseconds: record.createdAtMilliseconds, expiresAtMilliseconds: record.expiresAtMilliseconds)
    }

    /// The current session, or a new one (which the response must set with ``cookie(for:)``).
    func currentOrNew(_ request: Request, now: Date = Date()) async throws -> (session: FrontSession, isNew: Bool) {
        if let session = try await current(request, now: now) { return (session, false) }
        return (try await start(SessionData(), now: now), true)
    }

    /// A new session with its own random id. Expired sessions are swept at the same time.
    func start(_ data: SessionData, now: Date = Date()) async throws -> FrontSession {
        let id = SecretToken.generate()
        let nowMilliseconds = Instant.milliseconds(now)
        let expires = nowMilliseconds + Int64(lifetimeSeconds) * 1000
        try await store.deleteExpired(now: nowMilliseconds, idleMilliseconds: Int64(idleTimeoutSeconds) * 1000)
        try await store.insert(
            FrontSessionRecord(
                sessionHash: SecretToken.hash(id), createdAtMilliseconds: nowMilliseconds, lastSeenAtMilliseconds: nowMilliseconds,
                expiresAtMilliseconds: expires, data: try Self.encode(data)))
        return FrontSession(id: id, data: data, createdAtMilliseconds: nowMilliseconds, expiresAtMilliseconds: expires)
    }

    func save(_ session: FrontSession, now: Date = Date()) async throws {
        try await store.update(hash: SecretToken.hash(session.id), data: try Self.encode(session.data), lastSeenAtMilliseconds: Instant.milliseconds(now))
    }

    /// Replaces the session by a new one with a new id carrying `data`: done when someone logs in, so
    /// an id planted or seen before the login is worthless after it (session fixation), and the
    /// absolute lifetime counts from the login.
    func renew(_ session: FrontSession, data: SessionData, now: Date = Date()) async throws -> FrontSession {
        try await store.delete(hash: SecretToken.hash(session.id))
        return try await start(data, now: now)
    }

    func end(_ session: FrontSession) async throws {
        try await store.delete(hash: SecretToken.hash(session.id))
    }

    /// `Set-Cookie` for the session. No Max-Age: the cookie goes when the browser closes, and the
    /// server enforces the idle timeout and absolute lifetime whatever the browser keeps.
    func cookie(for session: FrontSession) -> String {
        "\(Self.cookieName)=\(session.id); Path=/; Secure; HttpOnly; SameSite=Strict"
    }

    /// `Set-Cookie` that removes the session cookie.
    var clearingCookie: String {
        "\(Self.cookieName)=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0"
    }

    /// The CSRF token of a session: an HMAC of the session id, so it needs no storage, differs per
    /// session, and cannot be computed without the id (which scripts cannot read: HttpOnly).
    static func csrfToken(sessionID: String) -> String {
        SecretToken.derived(from: sessionID, purpose: "zorgnet-csrf-v1")
    }

    /// Constant-time comparison of a submitted token with the session's.
    static func isValidCSRF(_ submitted: String?, for session: FrontSession) -> Bool {
        guard let submitted else { return false }
        let expected = Array(session.csrfToken.utf8)
        let given = Array(submitted.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func encode(_ data: SessionData) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(data))
    }
}
