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
    public var description: String?
    /// The file's bytes, base64 (checked by the mapper).
    public var contentBase64: String
    /// Size in bytes of the decoded content.
    public var size: Int

    public init(source: EntrySource, name: String, mimeType: String, description: String?, contentBase64: String, size: Int) {
        self.source = source
        self.name = name
        self.mimeType = mimeType
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
