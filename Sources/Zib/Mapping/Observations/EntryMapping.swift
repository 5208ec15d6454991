import FHIR
import Foundation

/// Why one entry cannot become a zib value. Each case names the field and what was wrong, so the
/// unmapped report tells the PZC owner exactly what to fix.
enum EntryRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownKind(field: String, value: String, known: [String])
    case missing(field: String)
    case notANumber(field: String, value: String)
    case unitNotAccepted(unit: String, accepted: [String])
    case unknownReference(field: String, id: String, section: String)
    case notBase64(field: String)
    case noContent(String)
    case mismatchedSystems(field: String, system: String, expected: String)

    var description: String {
        switch self {
        case .unknownKind(let field, let value, let known):
            "\(field) '\(value)' is not one of \(known.joined(separator: ", "))"
        case .missing(let field): "\(field) is missing"
        case .notANumber(let field, let value): "\(field) '\(value)' is not a number"
        case .unitNotAccepted(let unit, let accepted): "unit '\(unit)' is not one of \(accepted.joined(separator: ", "))"
        case .unknownReference(let field, let id, let section): "\(field) '\(id)' refers to nothing in \(section)"
        case .notBase64(let field): "\(field) is not valid base64"
        case .noContent(let what): "\(what) has no content"
        case .mismatchedSystems(let field, let system, let expected):
            "\(field) is coded in \(system), not in \(expected) like the name"
        }
    }
}

/// The loop every section mapping shares: one value per entry, or an ``UnmappedEntry`` with the reason.
enum EntryMapping {
    static func source(_ entry: some PZCEntry, section: String) -> EntrySource {
        EntrySource(entryID: entry.id, section: section, author: entry.author, createdAt: entry.createdAt)
    }

    static func each<Entry: PZCEntry>(
        _ entries: [Entry], section: String,
        _ transform: (Entry, EntrySource) throws(EntryRefusal) -> any ZibValue
    ) -> MappingResult {
        var result = MappingResult()
        for entry in entries {
            let source = source(entry, section: section)
            do {
                result.values.append(try transform(entry, source))
            } catch {
                result.unmapped.append(UnmappedEntry(entryID: entry.id, section: section, reason: error.description))
            }
        }
        return result
    }

    /// A decimal as written, refused when it is not a number in JSON number grammar.
    static func number(_ text: String?, field: String) throws(EntryRefusal) -> String {
        guard let text else { throw .missing(field: field) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard FHIRNumber.isValidJSONNumber(trimmed.utf8) else { throw .notANumber(field: field, value: text) }
        return trimmed
    }

    /// A value of a closed code list, refused with the list when unknown.
    static func known<Kind: RawRepresentable & CaseIterable>(_ raw: String, field: String, as _: Kind.Type) throws(EntryRefusal) -> Kind
    where Kind.RawValue == String {
        guard let kind = Kind(rawValue: raw) else {
            throw .unknownKind(field: field, value: raw, known: Kind.allCases.map(\.rawValue))
        }
        return kind
    }

    /// Whether an author id names the patient or a member of the export.
    static func isKnownAuthor(_ id: String, in export: PZCExport) -> Bool {
        id == "patient" || export.members.contains { $0.id == id }
    }
}
