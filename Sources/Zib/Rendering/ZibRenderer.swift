import FHIR

/// A FHIR version the gateway can render zib values in.
public enum FHIRVersion: String, Sendable, Hashable, Codable, CaseIterable {
    /// FHIR STU3 (3.0.2) with the Nictiz zib2017 profiles: what MedMij's BgZ uses today.
    case stu3 = "3.0.2"
    /// FHIR R4 (4.0.1) with the Nictiz zib2020 / nl-core profiles.
    case r4 = "4.0.1"
}

/// Turns the zib values of one PZC export into FHIR resources of one FHIR version.
///
/// The importer only knows this protocol, so a zib2020 R4 renderer can be added next to
/// ``STU3Renderer`` without touching the import: mapping (PZC → zib values) is shared, and only the
/// rendering differs per version.
///
/// ```swift
/// let renderer: any ZibRenderer = STU3Renderer()
/// renderer.fhirVersion                          // .stu3
/// let output = renderer.render(PZCMapper.map(export), export: export)
/// ```
public protocol ZibRenderer: Sendable {
    /// The FHIR version of every resource this renderer makes; the validator must check that version.
    var fhirVersion: FHIRVersion { get }
    /// All resources the values become. Values the renderer cannot render are reported in
    /// ``RenderOutput/unmapped``, together with the mapping's own unmapped entries.
    func render(_ mapping: MappingResult, export: PZCExport) -> RenderOutput
}

/// What a renderer made of one export, in any FHIR version.
public struct RenderOutput: Sendable {
    public var resources: [FHIRResource]
    public var unmapped: [UnmappedEntry]
    /// For each rendered resource (`Type/id`), the export entry it was made from.
    public var origins: [String: String] = [:]

    public init(resources: [FHIRResource] = [], unmapped: [UnmappedEntry] = [], origins: [String: String] = [:]) {
        self.resources = resources
        self.unmapped = unmapped
        self.origins = origins
    }

    /// Renders every value with `render` and collects the results; the rules are the same for every
    /// FHIR version. `render` returns nil for a value it has no rendering for (reported as such), and
    /// a value whose rendering throws is reported with the error. What a rendering leaves out of a value
    /// it does render (a rule of that FHIR version, not of the zib) is reported with the value's entry,
    /// after the mapping's own reports.
    ///
    /// A resource that comes again with the same content (an organisation shared by several members)
    /// is kept once; different content under an id already used means two entries collide, and the
    /// later one is reported rather than silently lost.
    public static func collect(
        _ mapping: MappingResult, version: FHIRVersion, render: (any ZibValue) throws -> RenderedValue?
    ) -> RenderOutput {
        var output = RenderOutput(unmapped: mapping.unmapped)
        var rendered = [String: FHIRResource]()
        for value in mapping.values {
            let source = value.source
            do {
                guard let renderedValue = try render(value) else {
                    output.unmapped.append(
                        UnmappedEntry(
                            entryID: source.entryID, section: source.section,
                            reason: "no FHIR \(version.rawValue) rendering for zib \(type(of: value).zibName)"))
                    continue
                }
                for reason in renderedValue.leftOut {
                    output.unmapped.append(UnmappedEntry(entryID: source.entryID, section: source.section, reason: reason))
                }
                for resource in renderedValue.resources {
                    let key = "\(resource.resourceType)/\(resource.id ?? "")"
                    guard let earlier = rendered[key] else {
                        rendered[key] = resource
                        output.resources.append(resource)
                        output.origins[key] = source.entryID
                        continue
                    }
                    if earlier != resource {
                        output.unmapped.append(
                            UnmappedEntry(
                                entryID: source.entryID, section: source.section,
                                reason: "its resource id \(key) is already used by entry '\(output.origins[key] ?? "?")'; not rendered"))
                    }
                }
            } catch {
                output.unmapped.append(UnmappedEntry(entryID: source.entryID, section: source.section, reason: "\(error)"))
            }
        }
        return output
    }
}

/// What one zib value became in one FHIR version: its resources, and what that version could not carry,
/// one reason each (e.g. zib-Payer's period rule in STU3).
public struct RenderedValue: Sendable {
    public var resources: [FHIRResource]
    public var leftOut: [String]

    public init(resources: [FHIRResource], leftOut: [String] = []) {
        self.resources = resources
        self.leftOut = leftOut
    }
}
