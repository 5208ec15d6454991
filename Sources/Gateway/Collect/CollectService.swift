import Audit
import Auth
import Exchange
import Foundation
import PZCImport
import Store

/// Why a collection did not start or complete.
public enum CollectError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `zorgnet providers set-client` was never run: there is no client id to ask with.
    case noClientConfigured
    case unknownProvider(String)
    case endpoint(ProviderEndpointError)
    /// The callback's `state` matches no authorization this browser started.
    case unknownState
    /// The callback's `state` was used already.
    case replayedState
    case expiredState
    /// The provider sent the browser back with an OAuth error.
    case providerRefused(String)
    case tokenExchange(OutboundError)
    /// No refresh token is kept for this patient and provider: the patient must authorize again.
    case noStandingAuthorization

    public var description: String {
        switch self {
        case .noClientConfigured: "no collect client id is set; run `zorgnet providers set-client`"
        case .unknownProvider(let provider): "no endpoint is configured for provider \(provider)"
        case .endpoint(let error): error.description
        case .unknownState: "the callback's state matches no authorization started in this browser"
        case .replayedState: "the callback's state was used already"
        case .expiredState: "the authorization took too long"
        case .providerRefused(let code): "the provider refused the authorization (\(code))"
        case .tokenExchange(let error): "the token exchange failed: \(error)"
        case .noStandingAuthorization: "no refresh token is kept for this patient at this provider; authorize in the portal first"
        }
    }
}

/// The collect flow (MedMij Verzamelen, PGO side): send the patient's browser to a provider, take the
/// code at `/oauth/callback`, exchange it over mutual TLS, run the BgZ queries, and keep the refresh
/// token sealed for a later `zorgnet pull`.
public struct CollectService: Sendable {
    /// The refresh tokens' sealing key, apart from the login secrets' key so each can be rotated alone.
    public static let keyFileName = "collect-secrets.key"
    /// How long a patient may take at the provider before the callback is refused.
    static let pendingLifetimeMilliseconds: Int64 = 15 * 60 * 1000

    let database: GatewayDatabase
    let endpoints: ProviderEndpoints
    let store: CollectStore
    let lists: CollectLists
    /// Read at first use, so a gateway starts even if the key file needs attention; collecting then fails.
    let keyFile: String
    let audit: @Sendable (AuditEvent) async throws -> Void
    var timeouts = OutboundTimeouts.medMij
    var retry = RetryPolicy()

    public init(database: GatewayDatabase, dataDirectory: String, audit: @escaping @Sendable (AuditEvent) async throws -> Void) {
        self.database = database
        let lists = CollectLists(database: database)
        self.lists = lists
        endpoints = ProviderEndpoints(store: ProviderEndpointStore(database: database), providerList: { try await lists.providerList() })
        store = CollectStore(database: database)
        keyFile = (dataDirectory as NSString).appendingPathComponent(Self.keyFileName)
        self.audit = audit
    }

    // MARK: - Starting

    /// The authorization URL to send the browser to, and the browser binding to set as a cookie.
    func start(patientID: String, ura: String) async throws -> (url: String, binding: String, provider: String) {
        guard let endpoint = try await endpoints.endpoint(ura: ura, dataServiceID: ProviderEndpoints.bgzDataServiceID) else {
            throw CollectError.unknownProvider("URA \(ura)")
        }
        return try await authorizationRequest(patientID: patientID, endpoint: endpoint, scope: endpoint.scope, selection: [])
    }

    /// A fresh `state` bound to this browser, kept as a pending authorization (with what to share,
    /// when sharing), and the provider's authorization URL carrying it.
    func authorizationRequest(patientID: String, endpoint: ProviderEndpoint, scope: String, selection: [String]) async throws
        -> (url: String, binding: String, provider: String)
    {
        guard let client = try await endpoints.store.collectClient() else { throw CollectError.noClientConfigured }
        let state = SecretToken.generate()
        let binding = SecretToken.generate()
        let correlationID = UUID().uuidString.lowercased()
        try await store.addPending(
            PendingCollect(
                patientID: patientID, providerName: endpoint.providerName, dataServiceID: endpoint.dataServiceID,
                correlationID: correlationID, createdAtMilliseconds: Instant.milliseconds(Date()), selection: selection),
            stateHash: Self.hex(state), bindingHash: Self.hex(binding))
        let query = FormEncoding.encode([
            ("response_type", "code"), ("client_id", client.clientID), ("redirect_uri", client.redirectURI), ("scope", scope),
            ("state", state), ("MedMij-Request-ID", UUID().uuidString.lowercased()), ("X-Correlation-ID", correlationID),
        ])
        let separator = endpoint.authorizationEndpoint.contains("?") ? "&" : "?"
        return (endpoint.authorizationEndpoint + separator + query, binding, endpoint.displayName)
    }

    // MARK: - Completing

    struct Completed: Sendable {
        let patientID: String
        let provider: String
        let runID: String
        let outcomes: [CollectQueryOutcome]
    }

    /// Checks `state` against the browser's binding, once: the pending authorization it belongs to.
    func claim(state: String, binding: String?) async throws -> PendingCollect {
        let claim = try await store.claim(
            stateHash: Self.hex(state), bindingHash: binding.map(Self.hex), now: Instant.milliseconds(Date()),
            maxAgeMilliseconds: Self.pendingLifetimeMilliseconds)
        switch claim {
        case .claimed(let claimed): return claimed
        case .unknown: throw CollectError.unknownState
        case .replayed: throw CollectError.replayedState
        case .expired: throw CollectError.expiredState
        }
    }

    /// Exchanges the code of a claimed collect authorization and collects.
    func complete(_ pending: PendingCollect, code: String?, error: String?) async throws -> Completed {
        let (endpoint, token) = try await exchange(pending, code: code, error: error)
        try await keep(token.refreshToken, patientID: pending.patientID, endpoint: endpoint)
        let runID = UUID().uuidString.lowercased()
        return try await withClient { outbound in
            let outcomes = try await collector(outbound).collect(
                .init(endpoint: endpoint, patientID: pending.patientID, accessToken: token.accessToken,
                      correlationID: pending.correlationID, runID: runID))
            return Completed(patientID: pending.patientID, provider: endpoint.displayName, runID: runID, outcomes: outcomes)
        }
    }

    /// The provider's answer at the callback: its OAuth error, or the code exchanged for tokens over mutual TLS.
    func exchange(_ pending: PendingCollect, code: String?, error: String?) async throws -> (ProviderEndpoint, TokenResponse) {
        if let error { throw CollectError.providerRefused(Self.errorCode(error)) }
        guard let code, !code.isEmpty else { throw CollectError.providerRefused("no code") }
        guard let client = try await endpoints.store.collectClient() else { throw CollectError.noClientConfigured }
        let endpoint = try await resolve(pending.providerName, pending.dataServiceID)
        let token = try await withClient { outbound in
            do {
                return try await outbound.requestToken(
                    url: endpoint.tokenEndpoint,
                    form: [
                        ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.redirectURI), ("client_id", client.clientID),
                    ],
                    headers: Self.headers(correlationID: pending.correlationID), credentials: endpoint.credentials)
            } catch let error as OutboundError {
                throw CollectError.tokenExchange(error)
            }
        }
        return (endpoint, token)
    }

    /// An OAuth error code from the query string, only when it looks like one: it goes into the audit log.
    static func errorCode(_ text: String) -> String {
        let code = String(text.prefix(40))
        return code.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "_") } ? code : "unrecognised error"
    }

    // MARK: - Pulling again

    /// Collects again with the kept refresh token (which the provider rotates; the new one is kept).
    public func pull(patientID: String, ura: String, progress: @escaping @Sendable (CollectQueryOutcome) async -> Void = { _ in }) async throws
        -> [CollectQueryOutcome]
    {
        guard let client = try await endpoints.store.collectClient() else { throw CollectError.noClientConfigured }
        let endpoint: ProviderEndpoint
        do {
            endpoint = try await endpoints.resolvedEndpoint(ura: ura, dataServiceID: ProviderEndpoints.bgzDataServiceID)
        } catch let error as ProviderEndpointError {
            throw CollectError.endpoint(error)
        }
        guard let sealed = try await store.sealedRefreshToken(patientID: patientID, providerName: endpoint.providerName, dataServiceID: endpoint.dataServiceID)
        else { throw CollectError.noStandingAuthorization }
        let refreshToken = String(decoding: try SecretSealer.loadOrCreate(keyFile: keyFile).open(sealed, context: Self.sealContext(patientID, endpoint)), as: UTF8.self)
        // A new X-Correlation-ID per refresh, as MedMij asks for long-term consent.
        let correlationID = UUID().uuidString.lowercased()
        return try await withClient { outbound in
            let token: TokenResponse
            do {
                token = try await outbound.requestToken(
                    url: endpoint.tokenEndpoint,
                    form: [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", client.clientID)],
                    headers: Self.headers(correlationID: correlationID), credentials: endpoint.credentials)
            } catch let error as OutboundError {
                if case .oauthError(code: "invalid_grant", _) = error { try? await keep(nil, patientID: patientID, endpoint: endpoint) }
                // Nothing was collected; the log says why, in the words of the error (no token, no body).
                try await audit(
                    AuditEvent(
                        recorded: Instant.format(Date()), channel: .cli, method: "PULL", path: "collect \(endpoint.providerName)", status: 502,
                        patientID: patientID, correlationID: correlationID, detail: "pull refused: the token exchange failed: \(error)",
                        kind: .collect))
                throw CollectError.tokenExchange(error)
            }
            try await keep(token.refreshToken, patientID: patientID, endpoint: endpoint)
            return try await collector(outbound).collect(
                .init(endpoint: endpoint, patientID: patientID, accessToken: token.accessToken, correlationID: correlationID,
                      runID: UUID().uuidString.lowercased()),
                progress: progress)
        }
    }

    // MARK: - Helpers

    func resolve(_ providerName: String, _ dataServiceID: String) async throws -> ProviderEndpoint {
        do {
            return try await endpoints.endpoint(providerName: providerName, dataServiceID: dataServiceID)
        } catch let error as ProviderEndpointError {
            throw CollectError.endpoint(error)
        }
    }

    /// Seals the refresh token (or clears it when the provider gave none: consent for this time only).
    func keep(_ refreshToken: String?, patientID: String, endpoint: ProviderEndpoint) async throws {
        let sealer = try SecretSealer.loadOrCreate(keyFile: keyFile)
        let sealed = try refreshToken.map { try sealer.seal(Array($0.utf8), context: Self.sealContext(patientID, endpoint)) }
        try await store.saveGrant(
            patientID: patientID, providerName: endpoint.providerName, dataServiceID: endpoint.dataServiceID, sealedRefreshToken: sealed)
    }

    private func collector(_ client: OutboundClient) -> BgZCollector {
        BgZCollector(client: client, repository: ResourceRepository(database: database), store: store, audit: audit, retry: retry)
    }

    /// One outbound client per collection, always shut down, whatever happens.
    func withClient<T: Sendable>(_ body: (OutboundClient) async throws -> T) async throws -> T {
        let lists = lists
        let client = OutboundClient(timeouts: timeouts, whitelist: { try await lists.whitelist() })
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The sealed token opens only for the same patient, provider and data service.
    static func sealContext(_ patientID: String, _ endpoint: ProviderEndpoint) -> String {
        "collect-refresh:\(patientID)|\(endpoint.providerName)|\(endpoint.dataServiceID)"
    }

    static func headers(correlationID: String) -> [(String, String)] {
        [("MedMij-Request-ID", UUID().uuidString.lowercased()), ("X-Correlation-ID", correlationID)]
    }

    static func hex(_ secret: String) -> String {
        SecretToken.hash(secret).map { String(format: "%02x", $0) }.joined()
    }
}

/// The MedMij lists for collecting, opened on first use like ``MedMijListLookup``.
actor CollectLists {
    private let database: GatewayDatabase
    private var opened: MedMijListRegistry?
    private var unavailable = false

    init(database: GatewayDatabase) {
        self.database = database
    }

    func providerList() async throws -> ProviderList? { try await registry()?.providerList() }
    func whitelist() async throws -> NodeWhitelist? { try await registry()?.whitelist() }

    private func registry() async throws -> MedMijListRegistry? {
        if let opened { return opened }
        guard !unavailable, let schemas = ProjectResources.directory("Schemas/medmij") else {
            unavailable = true
            return nil
        }
        let registry = try await MedMijListRegistry.open(
            database: database, parser: try MedMijListParser(schemaDirectory: URL(fileURLWithPath: schemas)))
        opened = registry
        return registry
    }
}
