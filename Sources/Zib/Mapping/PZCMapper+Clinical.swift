extension PZCMapper {
    /// The clinical sections of an export.
    static let clinicalSections: [SectionMapping] = []
}
