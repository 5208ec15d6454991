extension PZCMapper {
    /// The observation sections of an export.
    static let observationSections: [SectionMapping] = []
}
