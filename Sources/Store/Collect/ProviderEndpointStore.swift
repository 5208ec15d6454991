import Foundation
import GRDB

/// The local settings of one provider data service: what the ZAL does not carry.
public struct ProviderEndpointSetting: Sendable, Hashable, Codable {
    /// Zorgaanbiedernaam as on the ZAL, e.g. `demoziekenhuis@medmij`.
    public var providerName: String
    /// GegevensdienstId, e.g. `1` for the BgZ.
    public var dataServiceID: String
    /// The provider's URA, when known (the ZAL's project extension may also carry it).
    public var ura: String?
    /// A name to show when the ZAL does not list the provider.
    public var displayName: String?
    /// PEM anchors the provider's server certificate must chain to.
    public var trustAnchorsPath: String
    /// PEM chain and key of the gateway's client certificate to present to this provider.
    public var clientCertificatePath: String
    public var clientKeyPath: String
    /// Used only when the ZAL in force does not list the provider (a pilot or a test on loopback).
    public var authorizationEndpoint: String?
    public var tokenEndpoint: String?
    public var resourceEndpoint: String?

    public init(
        providerName: String, dataServiceID: String, ura: String? = nil, displayName: String? = nil, trustAnchorsPath: String,
        clientCertificatePath: String, clientKeyPath: String, authorizationEndpoint: String? = nil, tokenEndpoint: String? = nil,
        resourceEndpoint: String? = nil
    ) {
        self.providerName = providerName
        self.dataServiceID = dataServiceID
        self.ura = ura
        self.displayName = displayName
        self.trustAnchorsPath = trustAnchorsPath
        self.clientCertificatePath = clientCertificatePath
        self.clientKeyPath = clientKeyPath
        self.authorizationEndpoint = authorizationEndpoint
        self.tokenEndpoint = tokenEndpoint
        self.resourceEndpoint = resourceEndpoint
    }
}

/// Who this gateway is as an OAuth client when it collects: its client id (the hostname on the OCL)
/// and the redirect URI of its front `/oauth/callback`.
public struct CollectClientSetting: Sendable, Hashable {
    public var clientID: String
    public var redirectURI: String

    public init(clientID: String, redirectURI: String) {
        self.clientID = clientID
        self.redirectURI = redirectURI
    }
}

/// Provider endpoint settings and the collect client identity, in `gateway.sqlite`.
///
/// ```swift
/// let store = ProviderEndpointStore(database: database)
/// try await store.save(setting)
/// let bgz = try await store.setting(providerName: "demoziekenhuis@medmij", dataServiceID: "1")
/// ```
public struct ProviderEndpointStore: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    public func save(_ setting: ProviderEndpointSetting, at date: Date = Date()) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO provider_endpoint (provider_name, data_service_id, ura, display_name, trust_anchors_path,
                        client_certificate_path, client_key_path, authorization_endpoint, token_endpoint, resource_endpoint, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (provider_name, data_service_id) DO UPDATE SET
                        ura = excluded.ura, display_name = excluded.display_name, trust_anchors_path = excluded.trust_anchors_path,
                        client_certificate_path = excluded.client_certificate_path, client_key_path = excluded.client_key_path,
                        authorization_endpoint = excluded.authorization_endpoint, token_endpoint = excluded.token_endpoint,
                        resource_endpoint = excluded.resource_endpoint, updated_at = excluded.updated_at
                    """,
                arguments: [
                    setting.providerName, setting.dataServiceID, setting.ura, setting.displayName, setting.trustAnchorsPath,
                    setting.clientCertificatePath, setting.clientKeyPath, setting.authorizationEndpoint, setting.tokenEndpoint,
                    setting.resourceEndpoint, Instant.format(date),
                ])
        }
    }

    public func all() async throws -> [ProviderEndpointSetting] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM provider_endpoint ORDER BY provider_name, data_service_id").map(Self.setting)
        }
    }

    public func setting(providerName: String, dataServiceID: String) async throws -> ProviderEndpointSetting? {
        try await database.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM provider_endpoint WHERE provider_name = ? AND data_service_id = ?",
                arguments: [providerName, dataServiceID]
            ).map(Self.setting)
        }
    }

    @discardableResult
    public func remove(providerName: String, dataServiceID: String) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(
                sql: "DELETE FROM provider_endpoint WHERE provider_name = ? AND data_service_id = ?", arguments: [providerName, dataServiceID])
            return db.changesCount > 0
        }
    }

    public func collectClient() async throws -> CollectClientSetting? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT client_id, redirect_uri FROM collect_client WHERE id = 1").map {
                CollectClientSetting(clientID: $0["client_id"], redirectURI: $0["redirect_uri"])
            }
        }
    }

    public func setCollectClient(_ client: CollectClientSetting) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO collect_client (id, client_id, redirect_uri) VALUES (1, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id, redirect_uri = excluded.redirect_uri
                    """,
                arguments: [client.clientID, client.redirectURI])
        }
    }

    private static func setting(_ row: Row) -> ProviderEndpointSetting {
        ProviderEndpointSetting(
            providerName: row["provider_name"], dataServiceID: row["data_service_id"], ura: row["ura"], displayName: row["display_name"],
            trustAnchorsPath: row["trust_anchors_path"], clientCertificatePath: row["client_certificate_path"],
            clientKeyPath: row["client_key_path"], authorizationEndpoint: row["authorization_endpoint"],
            tokenEndpoint: row["token_endpoint"], resourceEndpoint: row["resource_endpoint"])
    }
}

/// Redirect URIs an operator registered for an app party. When a party has any, the authorization
/// endpoint accepts exactly those (instead of the MedMij `https://<client id>/…` rule); they are
/// never taken from a request.
public struct PartyRedirectURIs: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    public func uris(partyID: String) async throws -> [String] {
        try await database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT redirect_uri FROM party_redirect_uri WHERE party_id = ? ORDER BY redirect_uri", arguments: [partyID])
        }
    }

    /// Replaces the party's registered URIs (an empty list returns it to the MedMij rule).
    public func set(_ uris: [String], partyID: String) async throws {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM party_redirect_uri WHERE party_id = ?", arguments: [partyID])
            for uri in Set(uris) {
                try db.execute(sql: "INSERT INTO party_redirect_uri (party_id, redirect_uri) VALUES (?, ?)", arguments: [partyID, uri])
            }
        }
    }
}
