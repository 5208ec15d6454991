extension PZCMapper {
    /// The document sections of an export: files, diary, consultations and dossier pages as documents,
    /// forms as questionnaires and filled forms as their responses.
    static let documentSections: [SectionMapping] = [
        DocumentMapping.map,
        FormMapping.map,
    ]
}
