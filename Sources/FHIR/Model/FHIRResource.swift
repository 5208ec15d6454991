/// A FHIR resource: an object whose `resourceType` names what it is.
///
/// The accessors cover the few elements every resource has and that the server itself manages
/// (`id`, `meta.versionId`, `meta.lastUpdated`, `meta.profile`); everything else is read through
/// ``content``.
///
/// ```swift
/// var resource = try FHIRResource(["resourceType": "Patient", "id": "p1"])
/// resource.versionId = "2"
/// resource.content["meta"]?["versionId"]  // .string("2")
/// ```
public struct FHIRResource: Sendable, Hashable {
    public private(set) var content: FHIRObject

    public init(_ content: FHIRObject) throws(FHIRModelError) {
        guard let type = content["resourceType"] else { throw .missingResourceType }
        guard let name = type.stringValue, FHIRResource.isWellFormedTypeName(name) else {
            throw .invalidResourceType
        }
        self.content = content
    }

    public var resourceType: String {
        // Checked in init and never changed afterwards.
        content["resourceType"]?.stringValue ?? ""
    }

    public var id: String? {
        get { content["id"]?.stringValue }
        set { setTopLevel("id", newValue.map(FHIRValue.string), after: ["resourceType"]) }
    }

    public var versionId: String? {
        get { content["meta"]?["versionId"]?.stringValue }
        set { setMeta("versionId", newValue.map(FHIRValue.string)) }
    }

    /// `meta.lastUpdated` as written (an xs:dateTime/instant string).
    public var lastUpdated: String? {
        get { content["meta"]?["lastUpdated"]?.stringValue }
        set { setMeta("lastUpdated", newValue.map(FHIRValue.string)) }
    }

    public var profiles: [String] {
        content["meta"]?["profile"]?.elements.compactMap(\.stringValue) ?? []
    }

    /// Replaces any member other than `resourceType`, which identifies the resource and never changes.
    public subscript(key: String) -> FHIRValue? {
        get { content[key] }
        set {
            guard key != "resourceType" else { return }
            content[key] = newValue
        }
    }

    private mutating func setTopLevel(_ key: String, _ value: FHIRValue?, after predecessors: [String]) {
        guard let value else {
            content[key] = nil
            return
        }
        if content[key] != nil {
            content[key] = value
        } else {
            let position = content.members.lastIndex { predecessors.contains($0.key) }.map { $0 + 1 } ?? 0
            content.insert(value, forKey: key, at: position)
        }
    }

    private mutating func setMeta(_ key: String, _ value: FHIRValue?) {
        var meta = content["meta"]?.objectValue ?? FHIRObject()
        switch key {
        case "versionId":
            if let value { meta.insert(value, forKey: key, at: 0) } else { meta[key] = nil }
        case "lastUpdated":
            let position = meta.members.firstIndex { $0.key == "versionId" }.map { $0 + 1 } ?? 0
            if let value { meta.insert(value, forKey: key, at: position) } else { meta[key] = nil }
        default:
            meta[key] = value
        }
        setTopLevel("meta", meta.isEmpty ? nil : .object(meta), after: ["resourceType", "id"])
    }

    /// Resource type names are an upper-case letter followed by letters (FHIR's `[A-Z][A-Za-z]+`).
    public static func isWellFormedTypeName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else {
            return false
        }
        return name.utf8.count > 1 && name.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
        }
    }
}

/// Why an object cannot be a resource.
public enum FHIRModelError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingResourceType
    case invalidResourceType

    public var description: String {
        switch self {
        case .missingResourceType: "the object has no resourceType"
        case .invalidResourceType: "resourceType must be a string naming a resource type, such as \"Patient\""
        }
    }
}
