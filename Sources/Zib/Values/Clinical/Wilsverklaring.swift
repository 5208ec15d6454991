/// zib Wilsverklaring (advance directive): a living will such as "niet reanimeren", possibly with
/// the signed document shared in the PZC.
///
/// ```swift
/// let directive = result.values.compactMap { $0 as? Wilsverklaring }.first
/// directive?.type.code     // "NR"
/// ```
public struct Wilsverklaring: ZibValue, Hashable {
    public static let zibName = "Wilsverklaring"
    public var source: EntrySource
    /// WilsverklaringTypeCodelijst concept.
    public var type: Code
    public var date: String
    public var comment: String?
    public var document: LinkedDocument?

    public init(source: EntrySource, type: Code, date: String, comment: String?, document: LinkedDocument?) {
        self.source = source
        self.type = type
        self.date = date
        self.comment = comment
        self.document = document
    }
}

/// zib BehandelAanwijzing (treatment directive): whether a treatment (e.g. reanimatie) is permitted.
public struct BehandelAanwijzing: ZibValue, Hashable {
    public static let zibName = "BehandelAanwijzing"
    public var source: EntrySource
    /// BehandelingCodelijst concept (SNOMED).
    public var treatment: Code
    public var permitted: Toegestaan
    public var date: String
    public var comment: String?
    public var document: LinkedDocument?

    /// BehandelingToegestaanCodelijst.
    public enum Toegestaan: String, Sendable, Hashable, CaseIterable {
        case yes, no, yesWithConditions = "yes-with-conditions"

        public var zibCode: Code {
            let system = "urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4"
            return switch self {
            case .yes: Code(system: system, code: "JA", display: "Ja")
            case .no: Code(system: system, code: "NEE", display: "Nee")
            case .yesWithConditions: Code(system: system, code: "JA_MAAR", display: "Ja, maar met beperkingen")
            }
        }
    }

    public init(source: EntrySource, treatment: Code, permitted: Toegestaan, date: String, comment: String?, document: LinkedDocument?) {
        self.source = source
        self.treatment = treatment
        self.permitted = permitted
        self.date = date
        self.comment = comment
        self.document = document
    }
}

/// A file entry of the PZC holding a signed directive; served as a DocumentReference by the document renderer.
public struct LinkedDocument: Sendable, Hashable {
    public var fileID: String
    public var name: String

    public init(fileID: String, name: String) {
        self.fileID = fileID
        self.name = name
    }
}
