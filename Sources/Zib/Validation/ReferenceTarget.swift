import FHIR

/// The resource type a literal reference points to, for checking it against a profile's targets.
///
/// ```swift
/// ReferenceTarget.type(of: "Patient/p1", containedTypes: [:])                          // "Patient"
/// ReferenceTarget.type(of: "https://x.nl/fhir/Practitioner/7/_history/2", containedTypes: [:])  // "Practitioner"
/// ReferenceTarget.type(of: "#med", containedTypes: ["med": "Medication"])              // "Medication"
/// ReferenceTarget.type(of: "urn:uuid:1234", containedTypes: [:])                      // nil
/// ```
enum ReferenceTarget {
    static func type(of reference: String, containedTypes: [String: String]) -> String? {
        if reference.hasPrefix("#") { return containedTypes[String(reference.dropFirst())] }
        var segments = reference.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // `…/Type/id/_history/vid` names a version of `Type/id`.
        if segments.count >= 4, segments[segments.count - 2] == "_history" { segments.removeLast(2) }
        guard segments.count >= 2 else { return nil }
        let type = segments[segments.count - 2]
        return FHIRSchema.stu3.isResourceType(type) ? type : nil
    }

    /// The contained resources of a resource, by id.
    static func containedTypes(of resource: FHIRObject) -> [String: String] {
        var types: [String: String] = [:]
        for contained in resource["contained"]?.elements ?? [] {
            if let id = contained["id"]?.stringValue, let type = contained["resourceType"]?.stringValue { types[id] = type }
        }
        return types
    }
}
