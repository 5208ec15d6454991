import FHIR
import Foundation

/// Checks resources against the FHIR STU3 base definition and the profiles they claim in `meta.profile`.
///
/// Every resource is first checked against the base definition (``BaseDefinitionCheck``: unknown
/// elements, shapes, modifier extensions no claimed profile defines, the core invariants), then
/// against every profile it claims. A claimed profile the validator does not know is an error
/// (`not-supported`): a claim nobody checked must not pass as conformance. A resource claiming none
/// gets the base checks only (the caller decides whether that is acceptable). Data type and
/// extension profiles in the set are applied wherever an element of a checked profile declares
/// them, and extensions are checked against the definition of their url.
///
/// ```swift
/// let validator = try ProfileValidator.loadProjectProfiles(from: "Profiles")
/// let issues = validator.validate(observation)
/// issues.filter { $0.severity == .error }.map(\.location)  // ["Observation.component"]
/// ```
public struct ProfileValidator: Sendable {
    let profiles: [String: ProfileDefinition]
    let trees: [String: RuleTree]
    /// Per profile, the modifier extensions it defines, as `elementPath|url`.
    let modifierExtensions: [String: Set<String>]

    public init(profiles: [ProfileDefinition]) {
        var byURL: [String: ProfileDefinition] = [:]
        var trees: [String: RuleTree] = [:]
        var modifiers: [String: Set<String>] = [:]
        for profile in profiles {
            byURL[profile.url] = profile
            trees[profile.url] = RuleTree(rules: profile.rules, type: profile.type)
            modifiers[profile.url] = Self.modifierExtensions(of: profile)
        }
        self.profiles = byURL
        self.trees = trees
        self.modifierExtensions = modifiers
    }

    /// The profiles known, sorted by URL.
    public var definitions: [ProfileDefinition] {
        profiles.values.sorted { $0.url < $1.url }
    }

    /// Whether resources claiming `profile` are checked.
    public func supports(profile: String) -> Bool {
        profiles[Self.canonical(profile)] != nil
    }

    /// Every problem found, errors and warnings: the base definition's first, then per profile in
    /// document order.
    public func validate(_ resource: FHIRResource) -> [ValidationIssue] {
        var issues = validateBaseDefinition(resource)
        for (index, claimed) in resource.profiles.enumerated() {
            guard let profile = profiles[Self.canonical(claimed)] else {
                issues.append(ValidationIssue(
                    severity: .error, location: "\(resource.resourceType).meta.profile[\(index)]",
                    rule: "unknown profile", message: "unknown profile \(claimed): not a profile this server validates against",
                    code: .notSupported))
                continue
            }
            issues += validate(resource, against: profile)
        }
        return issues
    }

    /// The checks every resource gets whatever it claims: the STU3 base definition and core invariants.
    public func validateBaseDefinition(_ resource: FHIRResource) -> [ValidationIssue] {
        var check = BaseDefinitionCheck(understood: understoodModifierExtensions(of:))
        check.checkRoot(resource.content, location: resource.resourceType)
        return check.issues
    }

    /// Checks a resource against one profile's rules, whether it claims it or not.
    public func validate(_ resource: FHIRResource, against profile: ProfileDefinition) -> [ValidationIssue] {
        guard resource.resourceType == profile.type else {
            return [ValidationIssue(
                severity: .error, location: resource.resourceType, rule: "type \(profile.type) (\(profile.name))",
                message: "\(profile.name) constrains \(profile.type), not \(resource.resourceType)", code: .structure)]
        }
        var walker = RuleWalker(validator: self, containedTypes: ReferenceTarget.containedTypes(of: resource.content))
        let root = Occurrence(value: .object(resource.content), shadow: nil, location: resource.resourceType)
        walker.check(root, against: profile)
        return walker.issues
    }

    /// Canonical URLs may be claimed with a version (`…|1.0`); the version is not checked.
    static func canonical(_ url: String) -> String {
        url.split(separator: "|", maxSplits: 1).first.map(String.init) ?? url
    }

    /// The modifier extensions the known profiles a resource claims define (`elementPath|url`).
    func understoodModifierExtensions(of resource: FHIRObject) -> Set<String> {
        let claimed = (resource["meta"]?["profile"]?.elements ?? []).compactMap(\.stringValue)
        return claimed.reduce(into: Set<String>()) { $0.formUnion(modifierExtensions[Self.canonical($1)] ?? []) }
    }

    /// A profile's modifierExtension slices: the element they sit on (slice names dropped) and the
    /// url that identifies them.
    static func modifierExtensions(of profile: ProfileDefinition) -> Set<String> {
        var understood: Set<String> = []
        for rule in profile.rules {
            let steps = ProfilePath.steps(rule.path)
            guard steps.last?.name == "modifierExtension", steps.last?.slice != nil else { continue }
            let element = steps.map(\.name).joined(separator: ".")
            for criterion in rule.sliceMatch ?? [] where criterion.path == "url" {
                if let url = criterion.fixed?.stringValue { understood.insert("\(element)|\(url)") }
            }
        }
        return understood
    }
}

extension ProfileValidator {
    /// Loads the project's own definitions: every `*.json` file in `directory` (see Profiles/README.md).
    ///
    /// ```swift
    /// let validator = try ProfileValidator.loadProjectProfiles(from: "/srv/zorgnet/Profiles")
    /// validator.supports(profile: "http://nictiz.nl/fhir/StructureDefinition/zib-BloodPressure")  // true
    /// ```
    public static func loadProjectProfiles(from directory: String) throws -> ProfileValidator {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ProfileCompileError.unreadableFile(path: directory, reason: error.localizedDescription)
        }
        var profiles: [ProfileDefinition] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            let path = (directory as NSString).appendingPathComponent(name)
            let bytes = try readFile(path)
            let json: FHIRValue
            do {
                json = try FHIRJSON.parse(bytes)
            } catch {
                throw ProfileFormatError.notJSON(file: name, reason: error.description)
            }
            profiles.append(try ProfileDefinition(json: json))
        }
        return ProfileValidator(profiles: profiles)
    }

    /// Compiles the official Nictiz package (`…/stu3-zib2017`, holding `Profiles/` and
    /// `Profiles/Valuesets/`) into a validator with every StructureDefinition in it.
    ///
    /// ```swift
    /// let official = try ProfileValidator.loadOfficialProfiles(packageDirectory: "../shared/nictiz/stu3-zib2017")
    /// official.validate(mappedBloodPressure).isEmpty  // true when the mapping conforms
    /// ```
    public static func loadOfficialProfiles(packageDirectory: String) throws -> ProfileValidator {
        ProfileValidator(profiles: try OfficialPackage(directory: packageDirectory).compileAll())
    }

    static func readFile(_ path: String) throws(ProfileCompileError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path: path, reason: "no such file or not readable")
        }
        return Array(data)
    }
}
