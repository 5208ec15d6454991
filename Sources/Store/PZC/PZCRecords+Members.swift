import FHIR
import Foundation
import GRDB

/// A member of a patient's personal care community, as the import left it: a professional (a
/// Practitioner, with the PractitionerRole that says what they do and where) or a relative or friend
/// (a RelatedPerson).
public struct PZCMember: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case professional
        case relative
    }

    /// The FHIR id of the member's Practitioner or RelatedPerson: unique across PZCs, the id a
    /// professional's login carries, and what a consent names (`ConsentActor.member`).
    public var memberID: String
    public var kind: Kind
    public var displayName: String
    /// What they are to the patient: the specialty of a professional, the relationship of a relative.
    public var role: String?
    /// A professional's organisation.
    public var organisation: String?

    public init(memberID: String, kind: Kind, displayName: String, role: String? = nil, organisation: String? = nil) {
        self.memberID = memberID
        self.kind = kind
        self.displayName = displayName
        self.role = role
        self.organisation = organisation
    }
}

extension PZCRecords {
    /// The members of the PZCs whose patient is `patientResourceID`, professionals first, each once.
    /// Members whose entries vanished from a later export (`removed_at`) are left out.
    public func members(patientResourceID: String) async throws -> [PZCMember] {
        try await database.pool.read { db in
            let rows = try Row.fetchAll(db, sql: Self.membersOfPatient, arguments: [patientResourceID])
            // The PractitionerRole of a professional comes from the same export entry as the Practitioner.
            var roles: [String: FHIRValue] = [:]
            for row in rows where (row["type"] as String) == "PractitionerRole" {
                let content: Data = row["content"]
                if let role = try? FHIRJSON.parse([UInt8](content)) { roles[row["entry"]] = role }
            }
            var seen = Set<String>()
            var members: [PZCMember] = []
            for row in rows {
                let type: String = row["type"]
                let id: String = row["id"]
                guard type != "PractitionerRole", seen.insert(id).inserted else { continue }
                let content: Data = row["content"]
                let resource = try? FHIRJSON.parse([UInt8](content))
                let name = ProfessionalDirectory.displayName(content: [UInt8](content)) ?? id
                if type == "Practitioner" {
                    let role = roles[row["entry"]]
                    members.append(
                        PZCMember(
                            memberID: id, kind: .professional, displayName: name,
                            role: role.flatMap { Self.conceptText($0["specialty"]?.elements.first) ?? Self.conceptText($0["code"]?.elements.first) },
                            organisation: role?["organization"]?["display"]?.stringValue))
                } else {
                    members.append(
                        PZCMember(memberID: id, kind: .relative, displayName: name, role: Self.conceptText(resource?["relationship"])))
                }
            }
            return members.sorted { ($0.kind == .professional ? 0 : 1, $0.displayName) < ($1.kind == .professional ? 0 : 1, $1.displayName) }
        }
    }

    /// A CodeableConcept in words: its text, else the first coding's display.
    static func conceptText(_ concept: FHIRValue?) -> String? {
        guard let concept else { return nil }
        if let text = concept["text"]?.stringValue, !text.isEmpty { return text }
        return concept["coding"]?.elements.lazy.compactMap { $0["display"]?.stringValue }.first { !$0.isEmpty }
    }
}

extension PZCRecords {
    /// Read through `pzc_by_patient`, then that PZC's own links.
    static let membersOfPatient = """
        SELECT pr.resource_type AS type, pr.resource_id AS id, pr.entry_id AS entry, v.content_json AS content
        FROM pzc p
        JOIN pzc_resource pr ON pr.pzc_id = p.pzc_id AND pr.removed_at IS NULL
        JOIN resource r ON r.type = pr.resource_type AND r.id = pr.resource_id
        JOIN resource_version v ON v.resource_key = r.resource_key AND v.version = r.current_version
        WHERE p.patient_resource_id = ? AND pr.resource_type IN ('Practitioner', 'RelatedPerson', 'PractitionerRole')
        ORDER BY pr.resource_type, pr.entry_id, pr.resource_id
        """
}
