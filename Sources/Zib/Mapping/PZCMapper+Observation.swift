extension PZCMapper {
    /// The observation sections of an export: self-measurements, the coded social history and
    /// functional status, and the care events (devices, encounters, procedures, lab, nutrition).
    static let observationSections: [SectionMapping] = [
        SelfMeasurementMapping.map,
        SocialHistoryMapping.map,
        CareEventMapping.map,
    ]
}
