/// Shared files and texts of the PZC. They have no zib and are never forced into one: they are served
/// as documents (DocumentReference + Binary), as MedMij's document exchange expects.
///
/// ```swift
/// let letter = Bestand(source: source, name: "brief.pdf", mimeType: "application/pdf",
///                      description: "Ontslagbrief", contentBase64: bytes)
/// let diary = TekstDocument(source: source, kind: .diary, title: "Goede week",
///                           date: "2026-10-02T20:00:00+02:00", authors: ["patient"], sections: sections)
/// ```
public struct Bestand: ZibValue, Hashable {
    public static let zibName = "Bestand"
    public var source: EntrySource
    public var name: String
    public var mimeType: String
    /// The document type the PZC gave the file; without one it is a ``DocumentCodes/sharedFile``.
    public var type: Code?
    public var description: String?
    /// The file's bytes, base64 (checked by the mapper).
    public var contentBase64: String
    /// Size in bytes of the decoded content.
    public var size: Int

    public init(source: EntrySource, name: String, mimeType: String, type: Code? = nil, description: String?, contentBase64: String, size: Int) {
        self.source = source
        self.name = name
        self.mimeType = mimeType
        self.type = type
        self.description = description
        self.contentBase64 = contentBase64
        self.size = size
    }
}

/// A text written in the PZC (diary post with comments, consultation thread, dossier page), served
/// as a plain-text document.
public struct TekstDocument: ZibValue, Hashable {
    public static let zibName = "TekstDocument"
    public var source: EntrySource
    public var kind: Kind
    public var title: String
    /// When the text as served was last written (`indexed`).
    public var date: String
    /// Member ids (or `patient`) who wrote parts of it, first author first, without duplicates.
    public var authors: [String]
    /// The parts in reading order: the post and its comments, the messages, or the page and its history.
    public var sections: [Section]

    /// What the text is in the PZC; it decides the document's type and class text.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case diary, consultation, dossierPage

        /// Dutch name shown as the document's type.
        public var dutchName: String {
            switch self {
            case .diary: "Dagboek"
            case .consultation: "Overleg"
            case .dossierPage: "Dossierpagina"
            }
        }

        /// The document type: the LOINC document code closest to it, and the project's own code
        /// that says exactly which PZC text it is.
        public var typeCodes: [Code] {
            switch self {
            case .diary: [DocumentCodes.patientNote, DocumentCodes.type("diary", "Dagboekbericht")]
            case .consultation: [DocumentCodes.note, DocumentCodes.type("consultation", "Overlegdraad")]
            case .dossierPage: [DocumentCodes.note, DocumentCodes.type("dossier-page", "Dossierpagina")]
            }
        }

        /// The document class: the part of the PZC the text lives in.
        public var classCode: Code {
            switch self {
            case .diary: DocumentCodes.section("diary", "Dagboek")
            case .consultation: DocumentCodes.section("consultations", "Overleg")
            case .dossierPage: DocumentCodes.section("dossier", "Dossier")
            }
        }
    }

    /// One authored part of the text. A section without text is a heading-only line, such as a revision
    /// in a page's history.
    public struct Section: Sendable, Hashable {
        public var heading: String?
        public var author: String
        public var createdAt: String
        public var text: String?

        public init(heading: String? = nil, author: String, createdAt: String, text: String?) {
            self.heading = heading
            self.author = author
            self.createdAt = createdAt
            self.text = text
        }
    }

    public init(source: EntrySource, kind: Kind, title: String, date: String, authors: [String], sections: [Section]) {
        self.source = source
        self.kind = kind
        self.title = title
        self.date = date
        self.authors = authors
        self.sections = sections
    }
}

/// The codes documents are typed and classed with. PZC texts have no standard document type of their
/// own, so besides the nearest LOINC document code they carry the project's code systems: one for what
/// the document is, one for the part of the PZC it comes from.
public enum DocumentCodes {
    public static let typeSystem = "http://zorgnet.example/fhir/CodeSystem/pzc-document-type"
    public static let sectionSystem = "http://zorgnet.example/fhir/CodeSystem/pzc-section"

    /// LOINC 51855-5: a note written by the patient (or, in a PZC, their family).
    public static let patientNote = Code(system: ZibCodeSystem.loinc, code: "51855-5", display: "Patient Note")
    /// LOINC 34109-9: a note, the general document type for texts written by several people.
    public static let note = Code(system: ZibCodeSystem.loinc, code: "34109-9", display: "Note")
    /// A file shared in the PZC whose kind the export does not say.
    public static let sharedFile = type("file", "Gedeeld bestand")
    /// The class of every shared file.
    public static let filesSection = section("files", "Bestanden")

    static func type(_ code: String, _ display: String) -> Code {
        Code(system: typeSystem, code: code, display: display)
    }

    static func section(_ code: String, _ display: String) -> Code {
        Code(system: sectionSystem, code: code, display: display)
    }
}
