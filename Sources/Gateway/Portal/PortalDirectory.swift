import Exchange
import Foundation
import PZCImport
import Store

/// A care provider the patient can give permission to: by URA, with the name to show.
struct KnownProvider: Sendable, Hashable {
    let ura: String
    let name: String
}

/// Who is who, for the portal: the names of apps and providers (party registry, the MedMij OAuth
/// Client List and Zorgaanbiederslijst when loaded) and the members of the patient's PZC.
struct PortalDirectory: Sendable {
    let registry: PartyRegistry
    let lists: MedMijListLookup
    let pzcs: PZCRecords

    /// The name to show for a registered party: for an app the organisation name on the OCL in force
    /// (what the consent screen shows too), else the registry's display name.
    func partyName(partyID: String) async throws -> String? {
        guard let party = try await registry.party(id: partyID) else { return nil }
        if party.kind == .app, let clientID = party.clientID, let listed = try await lists.oclName(clientID: clientID) { return listed }
        return party.displayName
    }

    /// The name of a PGO app by client id; the client id itself when nobody knows the app any more.
    func appName(clientID: String) async throws -> String {
        if let listed = try await lists.oclName(clientID: clientID) { return listed }
        return try await registry.party(clientID: clientID)?.displayName ?? clientID
    }

    /// The providers on offer: registered organisations with a URA that are active, and providers on
    /// the ZAL that carry a URA; each URA once (the registry's name wins), sorted by name.
    func providers() async throws -> [KnownProvider] {
        var byURA: [String: String] = [:]
        for party in try await registry.parties() where party.kind == .organization && party.status == .active {
            if let ura = party.ura, !ura.isEmpty { byURA[ura] = party.displayName }
        }
        for provider in try await lists.providers() {
            if let ura = provider.ura, byURA[ura] == nil { byURA[ura] = provider.name }
        }
        return byURA.map { KnownProvider(ura: $0.key, name: $0.value) }.sorted { ($0.name, $0.ura) < ($1.name, $1.ura) }
    }

    /// The name of a provider by URA, for consents that name one no longer on offer: registry, ZAL, or
    /// the URA itself.
    func providerName(ura: String, among known: [KnownProvider]) -> String {
        known.first { $0.ura == ura }?.name ?? "URA \(ura)"
    }

    func members(patientID: String) async throws -> [PZCMember] {
        try await pzcs.members(patientResourceID: patientID)
    }
}
