import FHIR

/// A profile compiled to the rules the validator checks: what the project's `Profiles/*.json` hold.
///
/// Rules are keyed by *element path*: the StructureDefinition element id with choice types resolved
/// (`Observation.value[x]:valueQuantity` becomes `Observation.valueQuantity`). Slices keep their
/// `:name` suffix, so a rule on `Observation.component:SystolicBP.code` applies only to components
/// that belong to the `SystolicBP` slice.
///
/// ```swift
/// let bloodPressure = ProfileDefinition(
///     url: "http://nictiz.nl/fhir/StructureDefinition/zib-BloodPressure", name: "zib-BloodPressure",
///     type: "Observation", baseDefinition: nil,
///     rules: [ProfileRule(path: "Observation.component", min: 2)])
/// bloodPressure.rules.first?.min  // 2
/// ```
public struct ProfileDefinition: Sendable, Hashable {
    /// The canonical URL a resource claims in `meta.profile`.
    public var url: String
    /// The short name used in rule texts, such as `zib-BloodPressure`.
    public var name: String
    /// The resource or data type constrained (`Observation`, `Extension`, `HumanName`).
    public var type: String
    /// The profile this one derives from; its rules are already merged into `rules`.
    public var baseDefinition: String?
    public var rules: [ProfileRule]

    public init(url: String, name: String, type: String, baseDefinition: String?, rules: [ProfileRule]) {
        self.url = url
        self.name = name
        self.type = type
        self.baseDefinition = baseDefinition
        self.rules = rules
    }
}

/// The constraints a profile puts on one element path. Every field is optional: a rule carries only
/// what the profile says about that element.
///
/// ```swift
/// let systolicCode = ProfileRule(
///     path: "Observation.component:SystolicBP.code",
///     pattern: ["coding": [["system": "http://loinc.org", "code": "8480-6"]]])
/// ```
public struct ProfileRule: Sendable, Hashable {
    /// The element path, see ``ProfileDefinition``.
    public var path: String
    /// Minimum number of occurrences within each occurrence of the parent element.
    public var min: Int?
    /// Maximum occurrences: a number, or `*`.
    public var max: String?
    /// Allowed data types of a choice element (`["Quantity"]` for `value[x]`).
    public var types: [String]?
    /// The element must equal this value exactly.
    public var fixed: FHIRValue?
    /// The element must contain at least what this value contains.
    public var pattern: FHIRValue?
    /// A required binding with the codes the value set enumerates.
    public var binding: RequiredBinding?
    /// Declares the element sliced; slices are rules whose path ends in `:name`.
    public var slicing: Slicing?
    /// For a slice: what an occurrence must hold to belong to it.
    public var sliceMatch: [SliceCriterion]?
    /// Profiles the element's data type must conform to (such as an `nl-core-humanname`).
    public var typeProfiles: [String]?
    /// For a Reference: the resource types its `targetProfile`s constrain (`["Patient"]` for a
    /// reference to an nl-core-patient); nil when any resource may be referred to.
    public var targetTypes: [String]?

    public init(
        path: String, min: Int? = nil, max: String? = nil, types: [String]? = nil, fixed: FHIRValue? = nil,
        pattern: FHIRValue? = nil, binding: RequiredBinding? = nil, slicing: Slicing? = nil,
        sliceMatch: [SliceCriterion]? = nil, typeProfiles: [String]? = nil, targetTypes: [String]? = nil
    ) {
        self.path = path
        self.min = min
        self.max = max
        self.types = types
        self.fixed = fixed
        self.pattern = pattern
        self.binding = binding
        self.slicing = slicing
        self.sliceMatch = sliceMatch
        self.typeProfiles = typeProfiles
        self.targetTypes = targetTypes
    }

    /// Whether the rule constrains nothing (and so need not be kept).
    public var isEmpty: Bool {
        min == nil && max == nil && types == nil && fixed == nil && pattern == nil && binding == nil
            && slicing == nil && sliceMatch == nil && typeProfiles == nil && targetTypes == nil
    }
}

/// A required binding: coded values must come from `valueSet`, whose enumerated codes are `codes`.
///
/// ```swift
/// let gender = RequiredBinding(valueSet: "http://hl7.org/fhir/ValueSet/administrative-gender",
///                              codes: [CodeReference(system: "http://hl7.org/fhir/administrative-gender", code: "male")])
/// ```
public struct RequiredBinding: Sendable, Hashable {
    public var valueSet: String
    public var codes: [CodeReference]
    /// Code systems the value set includes whole or by filter: any of their codes is accepted,
    /// because only a terminology server could tell.
    public var anyCodeOf: [String]

    public init(valueSet: String, codes: [CodeReference], anyCodeOf: [String] = []) {
        self.valueSet = valueSet
        self.codes = codes
        self.anyCodeOf = anyCodeOf
    }

    /// Whether `system|code` is allowed; a code without a system (a `code` element) matches any system.
    public func allows(system: String?, code: String) -> Bool {
        if let system {
            return anyCodeOf.contains(system) || codes.contains(CodeReference(system: system, code: code))
        }
        return !anyCodeOf.isEmpty || codes.contains { $0.code == code }
    }
}

/// One code of a code system.
public struct CodeReference: Sendable, Hashable, Comparable {
    public var system: String
    public var code: String

    public init(system: String, code: String) {
        self.system = system
        self.code = code
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.system, lhs.code) < (rhs.system, rhs.code) }
}

/// How an element is sliced. The discriminator paths are kept for readers; membership itself is
/// decided by each slice's ``ProfileRule/sliceMatch``.
public struct Slicing: Sendable, Hashable {
    public var discriminators: [String]
    /// Closed slicing refuses occurrences that belong to no slice.
    public var closed: Bool

    public init(discriminators: [String], closed: Bool) {
        self.discriminators = discriminators
        self.closed = closed
    }
}

/// An occurrence belongs to a slice when, at `path` (relative to the occurrence, `$this` for the
/// occurrence itself), it has a value equal to `fixed` or containing `pattern`.
///
/// ```swift
/// SliceCriterion(path: "url", fixed: "http://fhir.nl/fhir/StructureDefinition/nl-core-preferred-pharmacy")
/// ```
public struct SliceCriterion: Sendable, Hashable {
    public var path: String
    public var fixed: FHIRValue?
    public var pattern: FHIRValue?

    public init(path: String, fixed: FHIRValue? = nil, pattern: FHIRValue? = nil) {
        self.path = path
        self.fixed = fixed
        self.pattern = pattern
    }
}
