import Exchange
import Foundation
import PZCImport
import Store

/// The MedMij lists in force, for names: the consent screen and the portal show a PGO app by the
/// organisation name on the OAuth Client List, and offer the providers on the Zorgaanbiederslijst.
///
/// Opened on first use: the list parser compiles the XSDs, which the gateway should not pay for at
/// start-up when nobody authorizes or opens the portal. Without the schemas (a binary run away from
/// its checkout) names come from the party registry alone.
actor MedMijListLookup {
    private let database: GatewayDatabase
    private var opened: MedMijListRegistry?
    private var unavailable = false

    init(database: GatewayDatabase) {
        self.database = database
    }

    func oclName(clientID: String) async throws -> String? {
        try await registry()?.oauthClientList()?.client(hostname: clientID)?.organisationName
    }

    /// Whether `hostname` may be a MedMij node: on the Whitelist in force, or anything while no
    /// Whitelist is loaded (a gateway outside the MedMij network has none).
    func whitelistAdmits(_ hostname: String) async throws -> Bool {
        guard let whitelist = try await registry()?.whitelist() else { return true }
        return whitelist.contains(hostname)
    }

    func providers() async throws -> [Exchange.Provider] {
        try await registry()?.providerList()?.providers ?? []
    }

    private func registry() async throws -> MedMijListRegistry? {
        if let opened { return opened }
        guard !unavailable, let schemas = ProjectResources.directory("Schemas/medmij") else {
            unavailable = true
            return nil
        }
        do {
            let parser = try MedMijListParser(schemaDirectory: URL(fileURLWithPath: schemas))
            let registry = try await MedMijListRegistry.open(database: database, parser: parser)
            opened = registry
            return registry
        } catch is MedMijListError {
            // Unreadable schemas: names come from the registry alone, as without them.
            unavailable = true
            return nil
        }
    }
}
