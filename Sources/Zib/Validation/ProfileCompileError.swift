/// Why an official StructureDefinition or ValueSet could not be compiled or a profile set loaded.
public enum ProfileCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The resource is no StructureDefinition, or lacks its `url` or `type`.
    case notAStructureDefinition(String)
    /// The resource is no ValueSet with a `url`.
    case notAValueSet
    /// The StructureDefinition has neither a snapshot nor a differential to read.
    case noElements(url: String)
    /// A profile derives from one that is not in the set being compiled.
    case missingBaseDefinition(url: String, base: String)
    /// A file could not be read or parsed.
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .notAStructureDefinition(let what): "not a usable StructureDefinition: \(what)"
        case .notAValueSet: "not a ValueSet with a url"
        case .noElements(let url): "\(url) has neither snapshot nor differential elements"
        case .missingBaseDefinition(let url, let base): "\(url) derives from \(base), which is not available"
        case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
        }
    }
}
