import FHIR
import Foundation

/// Checks resources against the profiles they claim in `meta.profile`.
///
/// A resource is checked against every supported profile it claims; claims of unknown profiles give
/// a warning, and a resource claiming none validates against nothing (the caller decides whether
/// that is acceptable). Data type and extension profiles in the set are applied wherever an element
/// of a checked profile declares them, and extensions are checked against the definition of their
/// url.
///
/// ```swift
/// let validator = try ProfileValidator.loadProjectProfiles(from: "Profiles")
/// let issues = validator.validate(observation)
/// issues.filter { $0.severity == .error }.map(\.location)  // ["Observation.component"]
/// ```
public struct ProfileValidator: Sendable {
    let profiles: [String: ProfileDefinition]
    let trees: [String: RuleTree]

    public init(profiles: [ProfileDefinition]) {
        var byURL: [String: ProfileDefinition] = [:]
        var trees: [String: RuleTree] = [:]
        for profile in profiles {
            byURL[profile.url] = profile
            trees[profile.url] = RuleTree(rules: profile.rules, type: profile.type)
        }
        self.profiles = byURL
        self.trees = trees
    }

    /// The profiles known, sorted by URL.
    public var definitions: [ProfileDefinition] {
        profiles.values.sorted { $0.url < $1.url }
    }

    /// Whether resources claiming `profile` are checked.
    public func supports(profile: String) -> Bool {
        profiles[Self.canonical(profile)] != nil
    }

    /// Every problem found, errors and warnings, in document order per profile.
    public func validate(_ resource: FHIRResource) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        for (index, claimed) in resource.profiles.enumerated() {
            guard let profile = profiles[Self.canonical(claimed)] else {
                issues.append(ValidationIssue(
                    severity: .warning, location: "\(resource.resourceType).meta.profile[\(index)]",
                    rule: "unknown profile", message: "\(claimed) is not a profile this server validates against"))
                continue
            }
            issues += validate(resource, against: profile)
        }
        return issues
    }

    /// Checks a resource against one profile, whether it claims it or not.
    public func validate(_ resource: FHIRResource, against profile: ProfileDefinition) -> [ValidationIssue] {
        guard resource.resourceType == profile.type else {
            return [ValidationIssue(
                severity: .error, location: resource.resourceType, rule: "type \(profile.type) (\(profile.name))",
                message: "\(profile.name) constrains \(profile.type), not \(resource.resourceType)")]
        }
        var walker = RuleWalker(validator: self)
        let root = Occurrence(value: .object(resource.content), shadow: nil, location: resource.resourceType)
        walker.check(root, against: profile)
        return walker.issues
    }

    /// Canonical URLs may be claimed with a version (`…|1.0`); the version is not checked.
    static func canonical(_ url: String) -> String {
        url.split(separator: "|", maxSplits: 1).first.map(String.init) ?? url
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
