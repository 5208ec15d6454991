/// Collects what mapping one export section yields: the values, and the entries (or parts of
/// entries) that could not be mapped, each with its reason.
///
/// Member references are checked here once for all sections: a reference to a member that is not in
/// the export is left out of the value and reported, so the clinical content itself is never lost
/// because its author left the PZC.
///
/// ```swift
/// var section = SectionCollector(export, section: "dossier.problems")
/// let asserter = section.member(entry.author, of: entry.id, as: "author")
/// section.unmapped(entry.id, "neither code nor text")
/// return section.result
/// ```
struct SectionCollector {
    let section: String
    private let members: [String: Member]
    private(set) var result = MappingResult()

    init(_ export: PZCExport, section: String) {
        self.section = section
        self.members = Dictionary(export.members.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    mutating func append(_ value: any ZibValue) {
        result.values.append(value)
    }

    mutating func unmapped(_ entryID: String, _ reason: String) {
        result.unmapped.append(UnmappedEntry(entryID: entryID, section: section, reason: reason))
    }

    /// The source of an entry of this section.
    func source(_ entry: some PZCEntry) -> EntrySource {
        EntrySource(entryID: entry.id, section: section, author: entry.author, createdAt: entry.createdAt)
    }

    /// `id` when it names the patient or a member; otherwise nil, reported as a left-out `role`.
    mutating func member(_ id: String?, of entryID: String, as role: String) -> String? {
        guard let id else { return nil }
        if id == "patient" || members[id] != nil { return id }
        unmapped(entryID, "\(role) '\(id)' is not a member of this PZC; left out")
        return nil
    }

    /// `id` when it names a professional member; otherwise nil, reported as a left-out `role`.
    mutating func professional(_ id: String?, of entryID: String, as role: String) -> String? {
        guard let id else { return nil }
        guard let member = members[id] else {
            unmapped(entryID, "\(role) '\(id)' is not a member of this PZC; left out")
            return nil
        }
        guard member.kind == "professional" else {
            unmapped(entryID, "\(role) '\(id)' is not a professional member; left out")
            return nil
        }
        return id
    }

    func lookUp(_ id: String) -> Member? { members[id] }
}

extension String {
    /// Nil for text that is empty or only whitespace, which the PZC writes for "not filled in".
    var nonBlank: String? {
        allSatisfy(\.isWhitespace) ? nil : self
    }
}
