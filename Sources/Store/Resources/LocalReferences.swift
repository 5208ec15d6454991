import FHIR

/// Decides which references name resources in this store.
///
/// Only a relative `Type/id` (optionally `/_history/n`) or an absolute URL under one of this server's
/// own bases is local. An absolute URL on any other server names *that* server's resource, even when
/// its last two segments happen to equal a local `Type/id`: `https://other.example/fhir/Patient/p2`
/// must never put anything in local patient p2's compartment, nor unlock local `Practitioner/gp2`.
///
/// ```swift
/// let references = LocalReferences(baseURLs: ["https://gateway.example/fhir"])
/// references.target("Patient/p2/_history/1")                     // Patient/p2
/// references.target("https://gateway.example/fhir/Patient/p2")  // Patient/p2
/// references.target("https://other.example/fhir/Patient/p2")    // nil
/// ```
public struct LocalReferences: Sendable, Hashable {
    /// A resource in this store, by type and id.
    public struct Target: Sendable, Hashable {
        public var type: String
        public var id: String

        public init(type: String, id: String) {
            self.type = type
            self.id = id
        }
    }

    /// This server's own FHIR bases (`https://host/fhir`), without a trailing slash.
    public let baseURLs: [String]

    /// - Parameter baseURLs: absolute bases under which this server's resources are addressed;
    ///   empty when only relative references are to count as local.
    public init(baseURLs: [String] = []) {
        self.baseURLs = baseURLs.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// The local resource `reference` names, or nil for contained (`#x`), `urn:`, conditional and
    /// malformed references and for absolute URLs on other servers.
    public func target(_ reference: String) -> Target? {
        var relative = Substring(reference)
        if reference.contains("://") {
            // Scheme and host are case-insensitive; the path after the base is not.
            let lowered = reference.lowercased()
            guard let base = baseURLs.first(where: { lowered.hasPrefix($0.lowercased() + "/") }) else { return nil }
            relative = reference.dropFirst(base.count + 1)
        }
        let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
        switch segments.count {
        case 2:
            break
        case 4 where segments[2] == "_history" && !segments[3].isEmpty
            && segments[3].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }):
            break
        default:
            return nil
        }
        let type = String(segments[0])
        let id = String(segments[1])
        guard FHIRResource.isWellFormedTypeName(type), StoreError.isValidID(id) else { return nil }
        return Target(type: type, id: id)
    }
}
