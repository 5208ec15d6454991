import Audit
import Auth
import Foundation
import Store

/// Registers explicit redirect URIs for an app party (`zorgnet party register … --redirect-uri URI`).
///
/// MedMij's rule (`https://<client id>/…`, no port) stays the default; an explicit registration
/// replaces it for that one app with exact matches, so a second gateway on a loopback port can be a
/// client. Only an operator sets these, and every change is audited.
public struct RedirectURIAdministration: Sendable {
    public let directory: DataDirectory

    public init(directory: DataDirectory) {
        self.directory = directory
    }

    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        case noData(String)
        case unknownParty(String)
        case notAnApp(String)
        case invalidURI(String)

        public var description: String {
            switch self {
            case .noData(let path): "\(path) holds no gateway data"
            case .unknownParty(let id): "no party \(id) is registered"
            case .notAnApp(let id): "\(id) is no app: only apps are sent back to a redirect URI"
            case .invalidURI(let uri): "'\(uri)' is not an https URL with a host and no user info, query or fragment"
            }
        }
    }

    /// Replaces the app's registered redirect URIs; an empty list returns it to the MedMij rule.
    public func set(_ uris: [String], partyID: String) async throws {
        for uri in uris where !RedirectURIRule.isRegistrable(uri) { throw Refusal.invalidURI(uri) }
        guard directory.exists else { throw Refusal.noData(directory.path) }
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        defer { try? database.close() }
        guard let party = try await PartyRegistry(database: database).party(id: partyID) else { throw Refusal.unknownParty(partyID) }
        guard party.kind == .app else { throw Refusal.notAnApp(partyID) }
        try await PartyRedirectURIs(database: database).set(uris, partyID: partyID)
        let log = try AuditLog(path: directory.auditDatabasePath)
        defer { try? log.close() }
        try await log.append(
            AuditEvent(
                recorded: Instant.format(Date()), channel: .cli, method: "PARTY", path: "redirect-uris", status: 0, partyID: partyID,
                partyKind: party.kind.rawValue,
                detail: uris.isEmpty ? "redirect URIs cleared: the MedMij rule applies" : "redirect URIs registered: \(uris.joined(separator: " "))",
                kind: .registryChange))
    }
}
