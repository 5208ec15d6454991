import Audit
import Exchange
import Foundation
import PZCImport
import Store

/// Loads and edits the MedMij lists for operators (`zorgnet lists …`). Every attempt, accepted or
/// refused, is written to the audit log with the list, its Volgnummer and the outcome.
///
/// The OAuth Client List also decides which PGO apps may connect: when an OCL is accepted, every
/// registered app party takes the status its entry has (an app missing from the list is suspended),
/// so suspending an app on the list shuts it out from the next request on.
///
/// ```swift
/// let lists = ListAdministration(directory: DataDirectory(path: "/var/lib/zorgnet"))
/// try await lists.load(.oauthClientList, file: "MedMij_OAuthclientlist.xml")
/// try await lists.setClientStatus(hostname: "pgo.example.nl", .suspended)
/// ```
public struct ListAdministration: Sendable {
    public let directory: DataDirectory
    public let schemaDirectory: String?

    public init(directory: DataDirectory, schemaDirectory: String? = nil) {
        self.directory = directory
        self.schemaDirectory = schemaDirectory
    }

    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        case noData(String)
        case noSchemas
        case unreadableFile(String)
        case refused(MedMijListKind, String)
        case noSuchEntry(String)

        public var description: String {
            switch self {
            case .noData(let path): "\(path) holds no gateway data"
            case .noSchemas: "the MedMij list schemas (Schemas/medmij) were not found; pass --schemas"
            case .unreadableFile(let file): "cannot read \(file)"
            case .refused(let kind, let reason): "the \(kind) was refused, the list in force stays: \(reason)"
            case .noSuchEntry(let what): "\(what) is not on the list in force"
            }
        }
    }

    /// Offers a published list file.
    @discardableResult
    public func load(_ kind: MedMijListKind, file: String) async throws -> MedMijListStore.Acceptance {
        guard let xml = FileManager.default.contents(atPath: file) else { throw Refusal.unreadableFile(file) }
        return try await change(kind, action: "load \(URL(fileURLWithPath: file).lastPathComponent)") { registry in
            try await registry.offer(xml: Array(xml), kind: kind, source: .file)
        }
    }

    /// Adds or replaces a PGO app on the OCL.
    public func setClient(_ client: OAuthClient) async throws {
        try await edit(.oauthClientList, action: "set client \(client.hostname)") { list in
            guard case .oauthClients(var ocl) = list else { return }
            ocl.clients.removeAll { $0.hostname == client.hostname }
            ocl.clients.append(client)
            list = .oauthClients(ocl)
        }
    }

    /// Changes the status of a PGO app on the OCL.
    public func setClientStatus(hostname: String, _ status: OAuthClient.Status) async throws {
        try await edit(.oauthClientList, action: "client \(hostname) \(status.rawValue)") { list in
            guard case .oauthClients(var ocl) = list, let index = ocl.clients.firstIndex(where: { $0.hostname == hostname })
            else { throw Refusal.noSuchEntry("client \(hostname)") }
            ocl.clients[index].status = status
            list = .oauthClients(ocl)
        }
    }

    public func removeClient(hostname: String) async throws {
        try await edit(.oauthClientList, action: "remove client \(hostname)") { list in
            guard case .oauthClients(var ocl) = list, ocl.clients.contains(where: { $0.hostname == hostname })
            else { throw Refusal.noSuchEntry("client \(hostname)") }
            ocl.clients.removeAll { $0.hostname == hostname }
            list = .oauthClients(ocl)
        }
    }

    /// Sets or clears the URA of a provider on the ZAL.
    public func setProviderURA(name: String, ura: String?) async throws {
        try await edit(.providerList, action: "provider \(name) URA \(ura ?? "none")") { list in
            guard case .providers(var zal) = list, let index = zal.providers.firstIndex(where: { $0.name == name })
            else { throw Refusal.noSuchEntry("provider \(name)") }
            zal.providers[index].ura = ura
            list = .providers(zal)
        }
    }

    public func removeProvider(name: String) async throws {
        try await edit(.providerList, action: "remove provider \(name)") { list in
            guard case .providers(var zal) = list, zal.providers.contains(where: { $0.name == name })
            else { throw Refusal.noSuchEntry("provider \(name)") }
            zal.providers.removeAll { $0.name == name }
            list = .providers(zal)
        }
    }

    public func addNode(hostname: String) async throws {
        try await edit(.whitelist, action: "add node \(hostname)") { list in
            guard case .whitelist(var whitelist) = list else { return }
            whitelist.hostnames.insert(hostname.lowercased())
            list = .whitelist(whitelist)
        }
    }

    public func removeNode(hostname: String) async throws {
        try await edit(.whitelist, action: "remove node \(hostname)") { list in
            guard case .whitelist(var whitelist) = list, whitelist.contains(hostname)
            else { throw Refusal.noSuchEntry("node \(hostname)") }
            whitelist.hostnames.remove(hostname.lowercased())
            list = .whitelist(whitelist)
        }
    }

    /// The list in force and every publication stored, for `zorgnet lists show`.
    public func show(_ kind: MedMijListKind) async throws
        -> (inForce: MedMijList?, publications: [(sequenceNumber: UInt64, acceptedAt: String, source: String)])
    {
        try await withRegistry { registry in
            (try await registry.list(kind), try await registry.publications(kind))
        }
    }

    private func edit(_ kind: MedMijListKind, action: String, _ body: @escaping @Sendable (inout MedMijList) throws -> Void) async throws {
        _ = try await change(kind, action: action) { registry in try await registry.edit(kind, body) }
    }

    private func change(
        _ kind: MedMijListKind, action: String,
        _ body: (MedMijListRegistry) async throws -> Result<MedMijListStore.Acceptance, MedMijListError>
    ) async throws -> MedMijListStore.Acceptance {
        let (result, synced): (Result<MedMijListStore.Acceptance, any Error>, [String]) = try await withRegistry { registry in
            let result: Result<MedMijListStore.Acceptance, any Error>
            do {
                result = try await body(registry).mapError { $0 as any Error }
            } catch {
                result = .failure(error)
            }
            var synced = [String]()
            if kind == .oauthClientList, case .success(.accepted) = result, let ocl = try await registry.oauthClientList() {
                synced = try await Self.syncAppParties(with: ocl, registry: PartyRegistry(database: registry.database))
            }
            return (result, synced)
        }
        switch result {
        case .success(let acceptance):
            let detail: String
            switch acceptance {
            case .accepted(let number, let replacing):
                detail = "\(kind) Volgnummer \(number) in force" + (replacing.map { ", replacing \($0)" } ?? "")
                    + (synced.isEmpty ? "" : "; app parties: " + synced.joined(separator: ", "))
            case .unchanged(let number):
                detail = "\(kind) Volgnummer \(number) unchanged"
            }
            try await audit(action, kind: kind, detail: detail, status: 0)
            return acceptance
        case .failure(let error):
            let reason = (error as? MedMijListError).map(Self.describe) ?? String(describing: error)
            try await audit(action, kind: kind, detail: "refused: \(reason)", status: 1)
            if let refusal = error as? Refusal { throw refusal }
            throw Refusal.refused(kind, reason)
        }
    }

    /// Gives every registered app party the status of its OCL entry, and, where the entry lists
    /// certificate fingerprints, suspends the app's registered certificates it does not list (and
    /// lifts that suspension from those it lists again); returns what changed.
    ///
    /// A revoked certificate stays revoked: only an operator revokes, and no list brings it back.
    static func syncAppParties(with ocl: OAuthClientList, registry: PartyRegistry) async throws -> [String] {
        var changes = [String]()
        for party in try await registry.parties() where party.kind == .app {
            let entry = party.clientID.flatMap { ocl.client(hostname: $0) }
            let wanted: Party.Status =
                switch entry?.status {
                case .active?: .active
                case .revoked?: .revoked
                case .suspended?, nil: .suspended
                }
            if party.status != wanted {
                try await registry.setStatus(partyID: party.partyID, wanted)
                changes.append("\(party.partyID) \(wanted.rawValue)")
            }
            guard let listed = entry.map({ Set($0.certificateFingerprints.map { $0.lowercased() }) }) else { continue }
            for certificate in try await registry.certificates(partyID: party.partyID) where certificate.status != .revoked {
                let allowed = listed.isEmpty || listed.contains(certificate.fingerprintSHA256.lowercased())
                let wantedCertificate: Party.Status = allowed ? .active : .suspended
                if certificate.status != wantedCertificate {
                    try await registry.setCertificateStatus(fingerprint: certificate.fingerprintSHA256, wantedCertificate)
                    changes.append("\(party.partyID) certificate \(certificate.fingerprintSHA256.prefix(16))… \(wantedCertificate.rawValue)")
                }
            }
        }
        return changes
    }

    static func describe(_ error: MedMijListError) -> String {
        switch error {
        case .unsafeXML(let reason, let line): "unsafe XML (\(reason)) at line \(line)"
        case .malformedXML(let issue): "malformed XML: \(issue)"
        case .wrongList(let expected, let found): "this is a \(found), not a \(expected)"
        case .invalidAgainstSchema(let issues):
            "invalid against the schema: " + issues.prefix(5).map(\.description).joined(separator: "; ")
        case .olderSequenceNumber(let offered, let inForce): "Volgnummer \(offered) is lower than \(inForce) in force"
        case .conflictingSequenceNumber(let number): "Volgnummer \(number) is in force with other content"
        case .sequenceNumberOutOfRange(let text): "Volgnummer \(text) is out of range"
        case .schemaUnavailable(let kind, let reason): "the schema for the \(kind) is unavailable: \(reason)"
        }
    }

    private func withRegistry<T: Sendable>(_ body: (MedMijListRegistry) async throws -> T) async throws -> T {
        guard directory.exists else { throw Refusal.noData(directory.path) }
        guard let schemas = schemaDirectory ?? ProjectResources.directory("Schemas/medmij") else { throw Refusal.noSchemas }
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        defer { try? database.close() }
        let registry = try await MedMijListRegistry.open(
            database: database, parser: try MedMijListParser(schemaDirectory: URL(fileURLWithPath: schemas)))
        return try await body(registry)
    }

    private func audit(_ action: String, kind: MedMijListKind, detail: String, status: Int) async throws {
        let log = try AuditLog(path: directory.auditDatabasePath)
        defer { try? log.close() }
        try await log.append(
            AuditEvent(
                recorded: Instant.format(Date()), channel: .cli, method: "LIST", path: "\(kind.rawValue): \(action)",
                status: status, detail: detail, kind: .registryChange))
    }
}
