import Audit
import Exchange
import Foundation
import Store

/// The operator's side of collecting (`zorgnet providers …`): endpoint settings per provider data
/// service, and this gateway's identity as an OAuth client. Every change is written to the audit log.
///
/// ```swift
/// let administration = ProviderAdministration(directory: DataDirectory(path: ".zorgnet"))
/// try await administration.setEndpoint(ProviderEndpointSetting(providerName: "demoziekenhuis@medmij", dataServiceID: "1", …))
/// ```
public struct ProviderAdministration: Sendable {
    public let directory: DataDirectory

    public init(directory: DataDirectory) {
        self.directory = directory
    }

    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        case noData(String)
        case missingFile(String, purpose: String)
        case invalidURL(String)
        case invalidClientID(String)
        /// Local URLs must come as a set: all three or none.
        case incompleteURLs

        public var description: String {
            switch self {
            case .noData(let path): "\(path) holds no gateway data"
            case .missingFile(let path, let purpose): "\(purpose) \(path) does not exist"
            case .invalidURL(let url): "'\(url)' is not an https URL with a host and no query or fragment"
            case .invalidClientID(let id): "'\(id)' is not a hostname (the OAuth client id on the OCL)"
            case .incompleteURLs: "give all three of --authorize-url, --token-url and --fhir-url, or none (then the ZAL's are used)"
            }
        }
    }

    /// Saves an endpoint's local settings after checking that the files exist and the URLs are sound.
    public func setEndpoint(_ setting: ProviderEndpointSetting) async throws {
        for (path, purpose) in [
            (setting.trustAnchorsPath, "trust anchors"), (setting.clientCertificatePath, "client certificate"),
            (setting.clientKeyPath, "client key"),
        ] where !FileManager.default.fileExists(atPath: path) {
            throw Refusal.missingFile(path, purpose: purpose)
        }
        let urls = [setting.authorizationEndpoint, setting.tokenEndpoint, setting.resourceEndpoint]
        guard urls.allSatisfy({ $0 == nil }) || urls.allSatisfy({ $0 != nil }) else { throw Refusal.incompleteURLs }
        for url in urls.compactMap({ $0 }) where !ProviderEndpoints.isEndpointURL(url) { throw Refusal.invalidURL(url) }
        try await withDatabase { try await ProviderEndpointStore(database: $0).save(setting) }
        try await audit(
            "set-endpoint", detail: "endpoint settings for \(setting.providerName), data service \(setting.dataServiceID)"
                + (setting.authorizationEndpoint == nil ? "" : " with local URLs"))
    }

    public func endpoints() async throws -> [ProviderEndpointSetting] {
        try await withDatabase { try await ProviderEndpointStore(database: $0).all() }
    }

    /// Sets this gateway's client id (its hostname on the OCL) and redirect URI. Without a redirect URI
    /// it is the MedMij form `https://<client id>/oauth/callback`.
    public func setClient(clientID: String, redirectURI: String?) async throws -> CollectClientSetting {
        let host = clientID.lowercased()
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else {
            throw Refusal.invalidClientID(clientID)
        }
        let redirect = redirectURI ?? "https://\(host)/oauth/callback"
        guard ProviderEndpoints.isEndpointURL(redirect), redirect.hasSuffix("/oauth/callback") else { throw Refusal.invalidURL(redirect) }
        let setting = CollectClientSetting(clientID: host, redirectURI: redirect)
        try await withDatabase { try await ProviderEndpointStore(database: $0).setCollectClient(setting) }
        try await audit("set-client", detail: "collect client id \(host), redirect URI \(redirect)")
        return setting
    }

    public func client() async throws -> CollectClientSetting? {
        try await withDatabase { try await ProviderEndpointStore(database: $0).collectClient() }
    }

    private func withDatabase<T: Sendable>(_ body: (GatewayDatabase) async throws -> T) async throws -> T {
        guard directory.exists else { throw Refusal.noData(directory.path) }
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        defer { try? database.close() }
        return try await body(database)
    }

    private func audit(_ action: String, detail: String) async throws {
        let log = try AuditLog(path: directory.auditDatabasePath)
        defer { try? log.close() }
        try await log.append(
            AuditEvent(
                recorded: Instant.format(Date()), channel: .cli, method: "PROVIDER", path: action, status: 0, detail: detail,
                kind: .registryChange))
    }
}
