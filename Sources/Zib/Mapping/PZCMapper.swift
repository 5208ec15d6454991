/// Maps a whole PZC export to zib values.
///
/// Each export section has its own mapping function; they are grouped by area in the `PZCMapper+…`
/// files. Entries a section cannot map come back as ``UnmappedEntry`` with the reason.
///
/// ```swift
/// let result = PZCMapper.map(export)
/// let fhir = STU3Renderer.render(result, context: STU3RenderContext(export: export))
/// ```
public enum PZCMapper {
    public typealias SectionMapping = @Sendable (PZCExport) -> MappingResult

    public static func map(_ export: PZCExport) -> MappingResult {
        var result = MappingResult()
        for section in administrativeSections + clinicalSections + observationSections + documentSections {
            result.append(contentsOf: section(export))
        }
        return result
    }
}
