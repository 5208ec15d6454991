/// The search parameter types of FHIR STU3 that the gateway implements.
///
/// `composite` and `special` are left out on purpose: no BgZ query needs them, and a parameter the
/// gateway cannot evaluate must be refused rather than silently ignored.
///
/// ```swift
/// SearchParameterRegistry.stu3.parameter("birthdate", on: "Patient")?.type  // .date
/// ```
public enum SearchParameterType: String, Sendable, Hashable, CaseIterable {
    case token, string, date, reference, quantity, number, uri
}

/// A simple path to elements below a resource, such as `name.given` or `effective[x]`.
///
/// Written as dot-separated element names. Two extensions of that syntax cover what STU3's FHIRPath
/// expressions need for the parameters the gateway supports, without a FHIRPath engine:
/// - `effective[x]` matches every choice member (`effectiveDateTime`, `effectivePeriod`, ...); the
///   type suffix tells the indexer how to read the value.
/// - `telecom[system=phone]` keeps only the objects whose member `system` is the string `phone`
///   (FHIRPath `telecom.where(system='phone')`).
///
/// ```swift
/// let path: ElementPath = "component.code"
/// path.segments.map(\.name)  // ["component", "code"]
/// ```
public struct ElementPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public struct Segment: Sendable, Hashable {
        /// `key=value` in `telecom[system=phone]`.
        public struct Filter: Sendable, Hashable {
            public var key: String
            public var value: String

            public init(key: String, value: String) {
                self.key = key
                self.value = value
            }
        }

        /// The element name, without `[x]` for choice elements.
        public var name: String
        /// Whether this is a choice element (`value[x]`) matching `name` followed by a type name.
        public var isChoice: Bool
        /// Keep only objects whose member `filter.key` is the string `filter.value`.
        public var filter: Filter?

        public init(name: String, isChoice: Bool = false, filter: Filter? = nil) {
            self.name = name
            self.isChoice = isChoice
            self.filter = filter
        }
    }

    public var segments: [Segment]

    public init(segments: [Segment]) {
        self.segments = segments
    }

    /// Parses the path syntax described above. Malformed brackets are kept as part of the name, so a
    /// typo yields a path that finds nothing rather than a crash; the registry tests catch typos.
    public init(_ text: String) {
        segments = text.split(separator: ".").map { part in
            guard part.hasSuffix("]"), let open = part.firstIndex(of: "[") else {
                return Segment(name: String(part))
            }
            let name = String(part[..<open])
            let inner = part[part.index(after: open)..<part.index(before: part.endIndex)]
            if inner == "x" { return Segment(name: name, isChoice: true) }
            if let equals = inner.firstIndex(of: "=") {
                let key = String(inner[..<equals])
                let value = String(inner[inner.index(after: equals)...])
                return Segment(name: name, filter: Segment.Filter(key: key, value: value))
            }
            return Segment(name: String(part))
        }
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var description: String {
        segments.map { segment in
            if segment.isChoice { return segment.name + "[x]" }
            if let filter = segment.filter { return "\(segment.name)[\(filter.key)=\(filter.value)]" }
            return segment.name
        }.joined(separator: ".")
    }
}

/// A named search parameter of one resource type: what it is called, how it compares, and which
/// elements it reads.
///
/// ```swift
/// let code = SearchParameterDefinition(name: "code", type: .token, paths: ["code"])
/// let patient = SearchParameterDefinition(
///     name: "patient", type: .reference, paths: ["subject"], targets: ["Patient"])
/// ```
public struct SearchParameterDefinition: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var type: SearchParameterType
    /// Element paths below the resource; the parameter's values are the union over all paths.
    public var paths: [ElementPath]
    /// For reference parameters, the resource types a reference may point to; empty means any type.
    /// The indexer only indexes references to these types, which is how `patient` (a `subject` that
    /// is a Patient) differs from `subject`.
    public var targets: [String]

    public init(name: String, type: SearchParameterType, paths: [ElementPath], targets: [String] = []) {
        self.name = name
        self.type = type
        self.paths = paths
        self.targets = targets
    }

    public var description: String {
        "\(name) (\(type.rawValue): \(paths.map(\.description).joined(separator: " | ")))"
    }
}

/// An `_include` the server offers: follow reference parameter `parameter` of `sourceType`,
/// optionally only to resources of `targetType`.
///
/// ```swift
/// IncludeDefinition(sourceType: "Coverage", parameter: "payor", targetType: "Organization").description
/// // "Coverage:payor:Organization"
/// ```
public struct IncludeDefinition: Sendable, Hashable, CustomStringConvertible {
    public var sourceType: String
    public var parameter: String
    /// nil: any resource the reference parameter may point to.
    public var targetType: String?

    public init(sourceType: String, parameter: String, targetType: String? = nil) {
        self.sourceType = sourceType
        self.parameter = parameter
        self.targetType = targetType
    }

    /// The `_include` value that requests this include, as written in a CapabilityStatement.
    public var description: String {
        [sourceType, parameter, targetType].compactMap { $0 }.joined(separator: ":")
    }
}
