import FHIR
import Foundation

/// The official Nictiz STU3 zib2017 package as laid out on disk: StructureDefinitions (and other
/// conformance resources) in `Profiles/`, ValueSets in `Profiles/Valuesets/`.
///
/// ```swift
/// let package = try OfficialPackage(directory: "../shared/nictiz/stu3-zib2017")
/// let all = try package.compileAll()
/// let emitted = try package.compile(closureOf: ["http://nictiz.nl/fhir/StructureDefinition/zib-BloodPressure"])
/// ```
public struct OfficialPackage: Sendable {
    /// StructureDefinitions by canonical URL.
    public let structureDefinitions: [String: FHIRResource]
    /// Package ValueSets by canonical URL, plus the hand-written core ones.
    public let valueSets: [String: ValueSetExpansion]

    public init(directory: String) throws {
        let profiles = (directory as NSString).appendingPathComponent("Profiles")
        var definitions: [String: FHIRResource] = [:]
        for resource in try Self.resources(in: profiles) where resource.resourceType == "StructureDefinition" {
            if let url = resource["url"]?.stringValue { definitions[url] = resource }
        }
        var valueSets = ValueSetExpansion.core
        let valueSetDirectory = (profiles as NSString).appendingPathComponent("Valuesets")
        for resource in try Self.resources(in: valueSetDirectory) where resource.resourceType == "ValueSet" {
            let expansion = try ValueSetExpansion(valueSet: resource)
            valueSets[expansion.url] = expansion
        }
        self.structureDefinitions = definitions
        self.valueSets = valueSets
    }

    /// Every StructureDefinition in the package, compiled, sorted by URL.
    public func compileAll() throws(ProfileCompileError) -> [ProfileDefinition] {
        try compile(urls: structureDefinitions.keys.sorted())
    }

    /// The named profiles and every extension or data type profile they use, transitively: what a
    /// validator needs to check resources claiming them. Sorted by URL.
    public func compile(closureOf urls: [String]) throws(ProfileCompileError) -> [ProfileDefinition] {
        var compiled: [String: ProfileDefinition] = [:]
        var pending = urls
        var wanted: Set<String> = []
        while let url = pending.popLast() {
            // A FHIR core resource definition the project claims itself has no file in the package.
            if structureDefinitions[url] == nil, let core = CoreBaseline.definition(url: url) {
                if wanted.insert(url).inserted { compiled[url] = core }
                continue
            }
            guard wanted.insert(url).inserted, structureDefinitions[url] != nil else { continue }
            let definition = try compile(url, into: &compiled)
            for rule in definition.rules {
                pending += rule.typeProfiles ?? []
                if ProfilePath.steps(rule.path).last?.name.hasSuffix("xtension") == true {
                    pending += (rule.sliceMatch ?? []).compactMap { $0.path == "url" ? $0.fixed?.stringValue : nil }
                }
            }
        }
        return wanted.sorted().compactMap { compiled[$0] }
    }

    private func compile(urls: [String]) throws(ProfileCompileError) -> [ProfileDefinition] {
        var compiled: [String: ProfileDefinition] = [:]
        for url in urls { _ = try compile(url, into: &compiled) }
        return urls.compactMap { compiled[$0] }
    }

    /// Compiles `url` after its base (memoised in `compiled`); bases outside the package must be core.
    private func compile(
        _ url: String, into compiled: inout [String: ProfileDefinition], depth: Int = 0
    ) throws(ProfileCompileError) -> ProfileDefinition {
        if let done = compiled[url] { return done }
        guard let definition = structureDefinitions[url], depth < 32 else {
            throw .notAStructureDefinition(url)
        }
        var base: ProfileDefinition?
        if let baseURL = definition["baseDefinition"]?.stringValue {
            if structureDefinitions[baseURL] != nil {
                base = try compile(baseURL, into: &compiled, depth: depth + 1)
            } else if !baseURL.hasPrefix("http://hl7.org/fhir/StructureDefinition/") {
                throw .missingBaseDefinition(url: url, base: baseURL)
            }
        }
        let result = try StructureDefinitionCompiler.compile(
            structureDefinition: definition, valueSets: valueSets, base: base, resourceType: resourceType(ofProfile:))
        compiled[url] = result
        return result
    }

    /// The resource type a `targetProfile` constrains: the type of a package profile, or a core one.
    func resourceType(ofProfile url: String) -> String? {
        if let type = structureDefinitions[url]?["type"]?.stringValue {
            return FHIRSchema.stu3.isResourceType(type) ? type : nil
        }
        return StructureDefinitionCompiler.coreResourceType(url)
    }

    private static func resources(in directory: String) throws -> [FHIRResource] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ProfileCompileError.unreadableFile(path: directory, reason: error.localizedDescription)
        }
        return try names.sorted().filter { $0.hasSuffix(".xml") }.map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                return try FHIRXML.parseResource(try ProfileValidator.readFile(path))
            } catch let error as FHIRParseError {
                throw ProfileCompileError.unreadableFile(path: path, reason: error.description)
            }
        }
    }
}
