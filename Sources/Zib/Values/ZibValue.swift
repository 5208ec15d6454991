/// One instance of a zib (*zorginformatiebouwsteen*, a Dutch clinical building block), as typed Swift
/// values independent of any FHIR version.
///
/// Mapping goes PZC entry → zib value → FHIR rendering: the importer only ever produces zib values, and
/// each FHIR version (STU3 zib2017 now, R4 zib2020 later) is a renderer over them.
public protocol ZibValue: Sendable {
    /// The zib's Dutch name, e.g. `Probleem`, `Bloeddruk`.
    static var zibName: String { get }
    /// Where in the PZC export the value came from.
    var source: EntrySource { get }
}

/// The PZC entry a value was mapped from, for provenance and stable resource ids.
public struct EntrySource: Sendable, Hashable {
    /// The entry's id in the export (`patient` for the patient record, the member id for members).
    public var entryID: String
    /// The export section, e.g. `dossier.problems`, `measurements`, `members`.
    public var section: String
    /// Member id of the author, or `patient`.
    public var author: String
    public var createdAt: String?

    public init(entryID: String, section: String, author: String, createdAt: String?) {
        self.entryID = entryID
        self.section = section
        self.author = author
        self.createdAt = createdAt
    }
}

/// An entry the mapping could not turn into any resource, with the reason. Reported, never dropped silently.
public struct UnmappedEntry: Sendable, Hashable, CustomStringConvertible {
    public var entryID: String
    public var section: String
    public var reason: String

    public init(entryID: String, section: String, reason: String) {
        self.entryID = entryID
        self.section = section
        self.reason = reason
    }

    public var description: String { "\(section) \(entryID): \(reason)" }
}

/// What the mapping made of one PZC export.
public struct MappingResult: Sendable {
    public var values: [any ZibValue]
    public var unmapped: [UnmappedEntry]

    public init(values: [any ZibValue] = [], unmapped: [UnmappedEntry] = []) {
        self.values = values
        self.unmapped = unmapped
    }

    public mutating func append(contentsOf other: MappingResult) {
        values.append(contentsOf: other.values)
        unmapped.append(contentsOf: other.unmapped)
    }
}
