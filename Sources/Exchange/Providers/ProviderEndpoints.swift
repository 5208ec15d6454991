import Foundation
import Store

/// Everything needed to collect one data service from one provider: the three URLs and the TLS
/// material for the backchannel.
public struct ProviderEndpoint: Sendable, Hashable {
    /// Where the URLs came from: the ZAL in force, or the operator's local setting for a provider
    /// the ZAL does not list.
    public enum Source: String, Sendable, Hashable {
        case providerList = "ZAL"
        case local
    }

    public var providerName: String
    public var displayName: String
    public var ura: String?
    public var dataServiceID: String
    public var authorizationEndpoint: String
    public var tokenEndpoint: String
    /// The FHIR base of the data service's system role.
    public var resourceEndpoint: String
    public var credentials: OutboundCredentials
    public var source: Source

    /// The scope of a MedMij collect (afsprakenstelsel 2.x): the provider's MedMij name without `@medmij`.
    public var scope: String {
        providerName.hasSuffix("@medmij") ? String(providerName.dropLast("@medmij".count)) : providerName
    }
}

/// Why a provider's endpoint cannot be used.
public enum ProviderEndpointError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No local settings: which trust anchors and client certificate to use is unknown, so nothing is sent.
    case notConfigured(provider: String, dataService: String)
    /// The ZAL in force does not list the provider (or no ZAL is loaded: `zal` is nil) and the local
    /// setting names no URLs.
    case notOnProviderList(provider: String, zal: String?)
    /// No local settings name this URA for the data service.
    case unknownURA(String, dataService: String)
    /// The provider is listed, but not with this data service.
    case dataServiceNotOffered(provider: String, dataService: String)
    /// A URL is not `https://host[:port]/path` without query or fragment.
    case invalidURL(String)

    public var description: String {
        switch self {
        case .notConfigured(let provider, let service):
            "no endpoint settings for \(provider), data service \(service); run `zorgnet providers set-endpoint`"
        case .notOnProviderList(let provider, let zal?):
            "\(provider) is not on the Zorgaanbiederslijst (ZAL) in force (\(zal)) and its settings name no URLs; "
                + "give --authorize-url, --token-url and --fhir-url to `zorgnet providers set-endpoint`, or load a ZAL that lists it"
        case .notOnProviderList(let provider, nil):
            "no Zorgaanbiederslijst (ZAL) is loaded and the settings of \(provider) name no URLs; load the ZAL with `zorgnet lists` "
                + "or give --authorize-url, --token-url and --fhir-url to `zorgnet providers set-endpoint`"
        case .unknownURA(let ura, let service):
            "no endpoint settings name URA \(ura) for data service \(service); run `zorgnet providers set-endpoint --ura \(ura)`"
        case .dataServiceNotOffered(let provider, let service): "\(provider) does not offer data service \(service) on the Zorgaanbiederslijst"
        case .invalidURL(let url): "'\(url)' is not an https URL with a host and no query or fragment"
        }
    }
}

/// Resolves provider endpoints from the ZAL in force and the local settings.
///
/// The ZAL is the authority on URLs: for a provider it lists, local URLs are ignored (an operator
/// cannot point a listed provider elsewhere). Local URLs serve only providers the ZAL does not list.
/// Without local settings (trust anchors, client certificate) there is no endpoint at all.
///
/// ```swift
/// let endpoints = ProviderEndpoints(store: ProviderEndpointStore(database: db), providerList: { try await lists.providerList() })
/// let bgz = try await endpoints.endpoint(providerName: "demoziekenhuis@medmij", dataServiceID: ProviderEndpoints.bgzDataServiceID)
/// ```
public struct ProviderEndpoints: Sendable {
    public typealias ProviderListSource = @Sendable () async throws -> ProviderList?

    /// GegevensdienstId of the Basisgegevensset Zorg on the GNL.
    public static let bgzDataServiceID = "1"
    /// GegevensdienstId of "Meetwaarden vitale functies" on the GNL: the self-measurements a patient
    /// shares with a provider (MedMij Delen).
    public static let selfMeasurementsDataServiceID = "5"

    public let store: ProviderEndpointStore
    private let providerList: ProviderListSource

    public init(store: ProviderEndpointStore, providerList: @escaping ProviderListSource) {
        self.store = store
        self.providerList = providerList
    }

    public func endpoint(providerName: String, dataServiceID: String) async throws -> ProviderEndpoint {
        guard let setting = try await store.setting(providerName: providerName, dataServiceID: dataServiceID) else {
            throw ProviderEndpointError.notConfigured(provider: providerName, dataService: dataServiceID)
        }
        return try resolve(setting, in: try await providerList())
    }

    /// Every configured endpoint that resolves, for a data service; those that do not are left out.
    public func all(dataServiceID: String) async throws -> [ProviderEndpoint] {
        let list = try await providerList()
        return try await store.all().filter { $0.dataServiceID == dataServiceID }.compactMap { try? resolve($0, in: list) }
    }

    /// The endpoint of a provider known by URA (the portal's key for providers).
    public func endpoint(ura: String, dataServiceID: String) async throws -> ProviderEndpoint? {
        try await all(dataServiceID: dataServiceID).first { $0.ura == ura }
    }

    /// The endpoint of a provider known by URA, or the precise reason there is none (for an operator
    /// running `zorgnet pull`, who must learn that the ZAL does not list it rather than "unknown").
    public func resolvedEndpoint(ura: String, dataServiceID: String) async throws -> ProviderEndpoint {
        let list = try await providerList()
        let candidates = try await store.all().filter { $0.dataServiceID == dataServiceID }
        var firstError: ProviderEndpointError?
        for setting in candidates where setting.ura == ura || list?.provider(named: setting.providerName)?.ura == ura {
            do {
                return try resolve(setting, in: list)
            } catch let error as ProviderEndpointError {
                firstError = firstError ?? error
            }
        }
        throw firstError ?? ProviderEndpointError.unknownURA(ura, dataService: dataServiceID)
    }

    func resolve(_ setting: ProviderEndpointSetting, in list: ProviderList?) throws -> ProviderEndpoint {
        let credentials = OutboundCredentials(
            clientCertificatePath: setting.clientCertificatePath, clientKeyPath: setting.clientKeyPath,
            trustAnchorsPath: setting.trustAnchorsPath)
        if let provider = list?.provider(named: setting.providerName) {
            guard let service = provider.dataService(id: setting.dataServiceID),
                let role = service.systemRoles.first(where: { $0.code.hasSuffix("-FHIR") }) ?? service.systemRoles.first
            else { throw ProviderEndpointError.dataServiceNotOffered(provider: setting.providerName, dataService: setting.dataServiceID) }
            return ProviderEndpoint(
                providerName: provider.name, displayName: setting.displayName ?? provider.name, ura: provider.ura ?? setting.ura,
                dataServiceID: service.id, authorizationEndpoint: service.authorizationEndpoint.absoluteString,
                tokenEndpoint: service.tokenEndpoint.absoluteString, resourceEndpoint: Self.trimmed(role.resourceEndpoint.absoluteString),
                credentials: credentials, source: .providerList)
        }
        guard let authorize = setting.authorizationEndpoint, let token = setting.tokenEndpoint, let resource = setting.resourceEndpoint else {
            throw ProviderEndpointError.notOnProviderList(provider: setting.providerName, zal: list.map(Self.describe))
        }
        for url in [authorize, token, resource] where !Self.isEndpointURL(url) { throw ProviderEndpointError.invalidURL(url) }
        return ProviderEndpoint(
            providerName: setting.providerName, displayName: setting.displayName ?? setting.providerName, ura: setting.ura,
            dataServiceID: setting.dataServiceID, authorizationEndpoint: authorize, tokenEndpoint: token,
            resourceEndpoint: Self.trimmed(resource), credentials: credentials, source: .local)
    }

    /// `https://host[:port][/path]`, no user info, query or fragment.
    public static func isEndpointURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), components.scheme == "https", let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil, components.query == nil, components.fragment == nil
        else { return false }
        return true
    }

    /// "sequence 12 of 2026-11-01T00:00:00Z": which ZAL an operator should look at.
    static func describe(_ list: ProviderList) -> String {
        "sequence \(list.sequenceNumber) of \(list.timestamp)"
    }

    private static func trimmed(_ base: String) -> String {
        base.hasSuffix("/") ? String(base.dropLast()) : base
    }
}
