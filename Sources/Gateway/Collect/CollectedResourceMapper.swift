import Crypto
import Exchange
import FHIR
import Foundation
import Store

/// Turns a provider's resources into resources of the patient's own record.
///
/// Ids are the provider's, so they are mapped to local ids derived from (provider, type, id): the same
/// resource collected again becomes a new version of the same local resource, and references between
/// collected resources (also across queries: a Condition naming a Practitioner that query 1 included)
/// keep pointing at each other. The authorized patient's reference becomes the local patient's; a
/// reference to any other patient stays foreign, so the compartment check refuses the resource.
struct CollectedResourceMapper: Sendable {
    let providerName: String
    /// The provider's FHIR base, for absolute references into it.
    let baseURL: String
    /// The provider's id of the patient the token is for (from the Patient query).
    let remotePatientID: String
    let localPatientID: String

    /// Why a resource is not stored; each is audited as an incident.
    enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        case otherPatient(type: String)
        case unexpectedType(String)
        case noPatient(type: String)
        case missingID(type: String)

        var description: String {
            switch self {
            case .otherPatient(let type): "a \(type) of another patient than the one authorized"
            case .unexpectedType(let type): "a \(type), which the query does not ask for"
            case .noPatient(let type): "a \(type) that names no patient"
            case .missingID(let type): "a \(type) without an id"
            }
        }
    }

    /// The local id of a provider resource: a name-based UUID, the form every server id of this gateway has.
    static func localID(providerName: String, type: String, remoteID: String) -> String {
        let digest = Array(SHA256.hash(data: Array("\(providerName)|\(type)|\(remoteID)".utf8)))
        var bytes = Array(digest.prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50  // version 5 (name-based)
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    /// The resource as stored locally, or why not. `isMatch`: a search match (patient data) rather than an include.
    func map(_ resource: FHIRResource, query: BgZQueries.Query, isMatch: Bool, repository: ResourceRepository) throws(Refusal) -> FHIRResource {
        let type = resource.resourceType
        guard let remoteID = resource.id else { throw .missingID(type: type) }
        let allowed = isMatch ? [query.matchType] : query.includeTypes
        guard allowed.contains(type) else { throw .unexpectedType(type) }
        var content = resource.content
        content = rewrite(.object(content)).objectValue ?? content
        guard var mapped = try? FHIRResource(content) else { throw .unexpectedType(type) }
        mapped.id = Self.localID(providerName: providerName, type: type, remoteID: remoteID)
        mapped.versionId = nil
        mapped.lastUpdated = nil
        let patients = repository.compartmentPatients(of: mapped)
        guard patients.isSubset(of: [localPatientID]) else { throw .otherPatient(type: type) }
        // A match is patient data: it must be in this patient's compartment, not in none.
        if isMatch, patients.isEmpty { throw .noPatient(type: type) }
        return mapped
    }

    /// Every `reference` string rewritten; everything else as received.
    private func rewrite(_ value: FHIRValue) -> FHIRValue {
        switch value {
        case .object(var object):
            for index in object.members.indices {
                let member = object.members[index]
                if member.key == "reference", case .string(let text) = member.value {
                    object.members[index].value = .string(localReference(text))
                } else {
                    object.members[index].value = rewrite(member.value)
                }
            }
            return .object(object)
        case .array(let items):
            return .array(items.map(rewrite))
        default:
            return value
        }
    }

    /// `Type/id` (relative, or absolute into the provider's base) → the local reference. Other forms
    /// (contained `#id`, URNs, references to other servers) are kept: they name nothing in this store.
    func localReference(_ text: String) -> String {
        var relative = text
        if text.lowercased().hasPrefix(baseURL.lowercased() + "/") { relative = String(text.dropFirst(baseURL.count + 1)) }
        let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 2 || (segments.count == 4 && segments[2] == "_history"),
            FHIRResource.isWellFormedTypeName(String(segments[0])), !segments[1].isEmpty, !relative.contains("://")
        else { return text }
        let type = String(segments[0])
        let id = String(segments[1])
        if type == "Patient" {
            return id == remotePatientID ? "Patient/\(localPatientID)" : "Patient/foreign-\(Self.localID(providerName: providerName, type: type, remoteID: id))"
        }
        return "\(type)/\(Self.localID(providerName: providerName, type: type, remoteID: id))"
    }
}
