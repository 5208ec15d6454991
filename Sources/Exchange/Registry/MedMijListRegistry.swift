import Foundation
import GRDB
import Store

/// The MedMij lists in force, kept in `gateway.sqlite` so they survive restarts.
///
/// Every offer goes through ``MedMijListStore`` (XSD, Volgnummer rule) first; only an accepted
/// publication is stored, as the exact bytes accepted. An edit by an operator is no shortcut: the
/// changed list is written out as a new publication (Volgnummer + 1) and offered like a download.
///
/// Reads compare the newest stored Volgnummer with the one in memory, so a change made by another
/// process (the `zorgnet lists` command next to a running gateway) counts on the next read.
///
/// ```swift
/// let lists = try await MedMijListRegistry.open(database: database, parser: parser)
/// _ = try await lists.offer(xml: downloaded, kind: .oauthClientList, source: .file)
/// _ = try await lists.edit(.oauthClientList) { list in
///     guard case .oauthClients(var ocl) = list else { return }
///     ocl.clients.removeAll { $0.hostname == "old.example.nl" }
///     list = .oauthClients(ocl)
/// }
/// let ocl = try await lists.oauthClientList()
/// ```
public struct MedMijListRegistry: Sendable {
    /// Where a publication came from; stored with it.
    public enum Source: String, Sendable, Hashable {
        case file
        case edit
    }

    public let database: GatewayDatabase
    public let store: MedMijListStore

    private init(database: GatewayDatabase, store: MedMijListStore) {
        self.database = database
        self.store = store
    }

    /// Opens the registry and puts the newest stored publication of every kind back in force.
    public static func open(database: GatewayDatabase, parser: MedMijListParser) async throws -> MedMijListRegistry {
        let registry = MedMijListRegistry(database: database, store: MedMijListStore(parser: parser))
        for kind in MedMijListKind.allCases {
            try await registry.refresh(kind)
        }
        return registry
    }

    /// Offers a publication; stores it when the store accepted it as new.
    public func offer(
        xml: [UInt8], kind: MedMijListKind, source: Source, at date: Date = Date()
    ) async throws -> Result<MedMijListStore.Acceptance, MedMijListError> {
        try await refresh(kind)
        let result = await store.accept(xml: xml, kind: kind)
        if case .success(.accepted(let number, _)) = result {
            try await save(xml: xml, kind: kind, sequenceNumber: number, source: source, at: date)
        }
        return result
    }

    /// Changes the list in force (or a new, empty one) and offers the result with the next Volgnummer.
    public func edit(
        _ kind: MedMijListKind, at date: Date = Date(), _ change: (inout MedMijList) throws -> Void
    ) async throws -> Result<MedMijListStore.Acceptance, MedMijListError> {
        try await refresh(kind)
        var list = await store.list(kind) ?? Self.empty(kind)
        let next = (await store.sequenceNumber(kind) ?? 0) + 1
        try change(&list)
        list = list.republished(sequenceNumber: next, timestamp: Self.timestamp(date))
        return try await offer(xml: list.xml(), kind: kind, source: .edit, at: date)
    }

    /// The list of `kind` in force, after picking up any newer stored publication.
    public func list(_ kind: MedMijListKind) async throws -> MedMijList? {
        try await refresh(kind)
        return await store.list(kind)
    }

    public func oauthClientList() async throws -> OAuthClientList? {
        if case .oauthClients(let list)? = try await list(.oauthClientList) { list } else { nil }
    }

    public func providerList() async throws -> ProviderList? {
        if case .providers(let list)? = try await list(.providerList) { list } else { nil }
    }

    public func whitelist() async throws -> NodeWhitelist? {
        if case .whitelist(let list)? = try await list(.whitelist) { list } else { nil }
    }

    /// Every stored publication of `kind`, oldest first: Volgnummer, when, and where it came from.
    public func publications(_ kind: MedMijListKind) async throws -> [(sequenceNumber: UInt64, acceptedAt: String, source: String)] {
        try await database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT sequence_number, accepted_at, source FROM medmij_list_version WHERE kind = ? ORDER BY sequence_number",
                arguments: [kind.rawValue]
            ).map { row in
                (UInt64(row["sequence_number"] as Int64), row["accepted_at"], row["source"])
            }
        }
    }

    private func refresh(_ kind: MedMijListKind) async throws {
        let inMemory = await store.sequenceNumber(kind) ?? 0
        let newer: Data? = try await database.pool.read { db in
            try Data.fetchOne(
                db,
                sql: """
                    SELECT xml FROM medmij_list_version
                    WHERE kind = ? AND sequence_number > ? ORDER BY sequence_number DESC LIMIT 1
                    """,
                arguments: [kind.rawValue, Int64(clamping: inMemory)])
        }
        guard let xml = newer else { return }
        // A stored publication passed these rules once; if it fails now (say, a stricter XSD was
        // deployed) the previous copy stays in force rather than the gateway refusing to start.
        _ = await store.accept(xml: Array(xml), kind: kind)
    }

    private func save(xml: [UInt8], kind: MedMijListKind, sequenceNumber: UInt64, source: Source, at date: Date) async throws {
        guard let number = Int64(exactly: sequenceNumber) else {
            throw MedMijListError.sequenceNumberOutOfRange(String(sequenceNumber))
        }
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO medmij_list_version (kind, sequence_number, accepted_at, source, xml)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [kind.rawValue, number, Instant.format(date), source.rawValue, Data(xml)])
        }
    }

    private static func empty(_ kind: MedMijListKind) -> MedMijList {
        switch kind {
        case .oauthClientList: .oauthClients(OAuthClientList(timestamp: "", sequenceNumber: 0, clients: []))
        case .providerList: .providers(ProviderList(timestamp: "", sequenceNumber: 0, providers: []))
        case .whitelist: .whitelist(NodeWhitelist(timestamp: "", sequenceNumber: 0, hostnames: []))
        case .dataServiceNameList: .dataServiceNames(DataServiceNameList(timestamp: "", sequenceNumber: 0, dataServices: []))
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current))
    }
}

extension MedMijList {
    /// The same entries under a new Volgnummer and Tijdstempel.
    func republished(sequenceNumber: UInt64, timestamp: String) -> MedMijList {
        switch self {
        case .oauthClients(var list):
            list.sequenceNumber = sequenceNumber
            list.timestamp = timestamp
            return .oauthClients(list)
        case .providers(var list):
            list.sequenceNumber = sequenceNumber
            list.timestamp = timestamp
            return .providers(list)
        case .whitelist(var list):
            list.sequenceNumber = sequenceNumber
            list.timestamp = timestamp
            return .whitelist(list)
        case .dataServiceNames(var list):
            list.sequenceNumber = sequenceNumber
            list.timestamp = timestamp
            return .dataServiceNames(list)
        }
    }
}
