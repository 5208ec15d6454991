import FHIR
import Foundation

/// Removes the patient's BSN from free text before it is stored.
///
/// The BSN belongs in exactly one place, the Patient's BSN identifier (which PGO apps receive masked).
/// Typed into a diary entry, a message, a form answer or a text file it would reach PGO apps
/// unmasked, which MedMij forbids; so every other occurrence of that number is blanked at import and
/// the import summary says where.
enum FreeTextBSN {
    static let bsnSystems: Set<String> = ["http://fhir.nl/fhir/NamingSystem/bsn", "urn:oid:2.16.840.1.113883.2.4.6.3"]
    static let replacement = "*********"

    /// The resource with every free-text occurrence of `bsn` blanked, and whether anything changed.
    static func scrub(_ resource: FHIRResource, bsn: String) -> (FHIRResource, Bool) {
        guard bsn.utf8.count == 9 else { return (resource, false) }
        var changed = false
        var content = scrub(.object(resource.content), bsn: bsn, changed: &changed)
        if resource.resourceType == "Binary", let contentType = resource["contentType"]?.stringValue,
            contentType.hasPrefix("text/"), let base64 = resource["content"]?.stringValue,
            let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8), text.contains(bsn)
        {
            let cleaned = text.replacingOccurrences(of: bsn, with: replacement)
            content = content.objectValue.map { object in
                var object = object
                object["content"] = .string(Data(cleaned.utf8).base64EncodedString())
                return .object(object)
            } ?? content
            changed = true
        }
        guard changed, let object = content.objectValue, let scrubbed = try? FHIRResource(object) else { return (resource, false) }
        return (scrubbed, true)
    }

    private static func scrub(_ value: FHIRValue, bsn: String, changed: inout Bool) -> FHIRValue {
        switch value {
        case .object(var object):
            // The BSN identifier itself stays: the store masks it for PGO apps and keeps it for matching.
            if let system = object["system"]?.stringValue, bsnSystems.contains(system) { return value }
            for index in object.members.indices {
                object.members[index].value = scrub(object.members[index].value, bsn: bsn, changed: &changed)
            }
            return .object(object)
        case .array(let elements):
            return .array(elements.map { scrub($0, bsn: bsn, changed: &changed) })
        case .string(let text) where text.contains(bsn):
            changed = true
            return .string(text.replacingOccurrences(of: bsn, with: replacement))
        default:
            return value
        }
    }
}
