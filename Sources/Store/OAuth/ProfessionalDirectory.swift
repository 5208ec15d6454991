import FHIR
import Foundation
import GRDB

/// A professional who is a member of at least one imported PZC and carries a UZI number.
public struct RegisteredProfessional: Sendable, Hashable {
    /// The UZI number (`http://fhir.nl/fhir/NamingSystem/uzi-nr-pers`).
    public var uziNumber: String
    /// The id of their Practitioner resource.
    public var practitionerID: String
    public var displayName: String
    /// Titles of the PZCs they are a member of.
    public var communities: [String]
}

/// The professionals the UZI stand-in offers: Practitioners with a UZI number that an imported PZC
/// produced. A real deployment authenticates professionals with their UZI pass instead.
public struct ProfessionalDirectory: Sendable {
    public static let uziSystem = "http://fhir.nl/fhir/NamingSystem/uzi-nr-pers"

    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    public func all() async throws -> [RegisteredProfessional] {
        try await database.pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.code AS uzi, r.id AS practitioner_id, v.content_json AS content, p.title AS community
                    FROM token_index t
                    JOIN resource r ON r.resource_key = t.resource_key AND r.type = 'Practitioner'
                    JOIN resource_version v ON v.resource_key = r.resource_key AND v.version = r.current_version
                    JOIN pzc_resource pr ON pr.resource_type = 'Practitioner' AND pr.resource_id = r.id AND pr.removed_at IS NULL
                    JOIN pzc p ON p.pzc_id = pr.pzc_id
                    WHERE t.param = 'identifier' AND t.system = ?
                    ORDER BY t.code, p.title
                    """,
                arguments: [Self.uziSystem])
            var byUZI: [String: RegisteredProfessional] = [:]
            var order: [String] = []
            for row in rows {
                let uzi: String = row["uzi"]
                let community: String = row["community"]
                if byUZI[uzi] == nil {
                    let content: Data = row["content"]
                    let name = Self.displayName(content: [UInt8](content)) ?? uzi
                    byUZI[uzi] = RegisteredProfessional(
                        uziNumber: uzi, practitionerID: row["practitioner_id"], displayName: name, communities: [])
                    order.append(uzi)
                }
                if byUZI[uzi]?.communities.contains(community) == false { byUZI[uzi]?.communities.append(community) }
            }
            return order.compactMap { byUZI[$0] }
        }
    }

    public func professional(uzi: String) async throws -> RegisteredProfessional? {
        try await all().first { $0.uziNumber == uzi }
    }

    /// `name[0].text`, or the given names and family name joined.
    static func displayName(content: [UInt8]) -> String? {
        guard let resource = try? FHIRJSON.parse(content), let name = resource["name"]?.elements.first else { return nil }
        if let text = name["text"]?.stringValue, !text.isEmpty { return text }
        let parts = (name["given"]?.elements ?? []).compactMap(\.stringValue) + [name["family"]?.stringValue].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
