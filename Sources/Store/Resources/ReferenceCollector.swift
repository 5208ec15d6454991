import FHIR

/// Finds every literal reference a resource makes, wherever it sits in the tree.
///
/// Search parameters only index the references the specification chose to make searchable; access
/// decisions need all of them (a GP named in `Patient.generalPractitioner`, a medication behind
/// `MedicationStatement.medicationReference`, a performer in an Observation).
enum ReferenceCollector {
    struct Target: Hashable {
        var type: String
        var id: String
    }

    static func targets(in resource: FHIRResource) -> Set<Target> {
        var targets = Set<Target>()
        collect(.object(resource.content), into: &targets, isRoot: true)
        return targets
    }

    private static func collect(_ value: FHIRValue, into targets: inout Set<Target>, isRoot: Bool) {
        switch value {
        case .object(let object):
            // Contained resources belong to their container; their references count as the container's.
            if !isRoot, object["resourceType"] != nil, object["reference"] == nil {
                for member in object.members { collect(member.value, into: &targets, isRoot: false) }
                return
            }
            if let reference = object["reference"]?.stringValue, let target = parse(reference) {
                targets.insert(target)
            }
            for member in object.members { collect(member.value, into: &targets, isRoot: false) }
        case .array(let elements):
            for element in elements { collect(element, into: &targets, isRoot: false) }
        default:
            break
        }
    }

    /// `Type/id`, `Type/id/_history/n` and absolute URLs ending in either; `#local` and `urn:` are
    /// not references to stored resources.
    static func parse(_ reference: String) -> Target? {
        guard !reference.hasPrefix("#"), !reference.hasPrefix("urn:") else { return nil }
        var segments = reference.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if segments.count >= 4, segments[segments.count - 2] == "_history" {
            segments.removeLast(2)
        }
        guard segments.count >= 2 else { return nil }
        let type = segments[segments.count - 2]
        let id = segments[segments.count - 1]
        guard FHIRResource.isWellFormedTypeName(type), StoreError.isValidID(id) else { return nil }
        return Target(type: type, id: id)
    }
}
