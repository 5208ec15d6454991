import FHIR

/// Finds every local literal reference a resource makes, wherever it sits in the tree.
///
/// Search parameters only index the references the specification chose to make searchable; access
/// decisions need all of them (a GP named in `Patient.generalPractitioner`, a medication behind
/// `MedicationStatement.medicationReference`, a performer in an Observation). Only references that
/// ``LocalReferences`` accepts count: a link to another server's `Practitioner/gp2` says nothing
/// about the local `Practitioner/gp2` and must not make it readable.
enum ReferenceCollector {
    static func targets(in resource: FHIRResource, references: LocalReferences) -> Set<LocalReferences.Target> {
        var targets = Set<LocalReferences.Target>()
        collect(.object(resource.content), references: references, into: &targets)
        return targets
    }

    private static func collect(
        _ value: FHIRValue, references: LocalReferences, into targets: inout Set<LocalReferences.Target>
    ) {
        switch value {
        case .object(let object):
            // Contained resources belong to their container; their references count as the container's.
            if let reference = object["reference"]?.stringValue, let target = references.target(reference) {
                targets.insert(target)
            }
            // An Attachment (it alone has `contentType` beside `url`) points at its bytes by URL: that
            // is how a DocumentReference names its Binary.
            if object["contentType"] != nil, let url = object["url"]?.stringValue, let target = references.target(url) {
                targets.insert(target)
            }
            for member in object.members { collect(member.value, references: references, into: &targets) }
        case .array(let elements):
            for element in elements { collect(element, references: references, into: &targets) }
        default:
            break
        }
    }
}
