extension PZCMapper {
    /// The document sections of an export.
    static let documentSections: [SectionMapping] = []
}
