extension PZCMapper {
    /// The administrative sections of an export.
    static let administrativeSections: [SectionMapping] = []
}
