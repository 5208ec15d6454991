extension PZCMapper {
    /// The administrative sections of an export: the patient (with contact persons and GP), the
    /// members (professionals with their organisations, family and friends) and the payer.
    static let administrativeSections: [SectionMapping] = [
        PatientMapping.patient,
        MemberMapping.members,
        PatientMapping.payer,
    ]
}
