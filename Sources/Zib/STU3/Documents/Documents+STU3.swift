import Crypto
import FHIR
import Foundation

// Files and texts as IHE MHD Minimal DocumentReferences (what MedMij's document exchange serves) with
// a Binary holding the bytes. MHD requires `attachment.url`, so even inline texts get a Binary.

/// Builds the DocumentReference/Binary pair every document shares.
///
/// ```swift
/// let resources = try DocumentPair(entryID: "file-1", type: [DocumentCodes.sharedFile], …).resources(in: context)
/// resources.map(\.resourceType)   // ["DocumentReference", "Binary"]
/// ```
struct DocumentPair {
    static let profile = "http://nictiz.nl/fhir/StructureDefinition/IHE.MHD.Minimal.DocumentReference"

    var entryID: String
    /// What the document is (`DocumentReference.type`), most specific coding last.
    var type: [Code]
    /// Where in the PZC it comes from (`DocumentReference.class`).
    var documentClass: Code
    /// Dutch name of what the document is, the type's text.
    var typeText: String
    var title: String
    var description: String?
    var indexed: String
    var authors: [String]
    var contentType: String
    var base64: String
    var size: Int
    /// Whether the text was written in the PZC (diary, overleg, dossier page) rather than uploaded.
    /// Either way the bytes live in the Binary: IHE MHD Minimal forbids inline `attachment.data`.
    var inline: Bool

    func resources(in context: STU3RenderContext) throws -> [FHIRResource] {
        // IHE MHD Minimal allows only practitioners and organisations as DocumentReference.author.
        // Parts written by the patient or a relative keep their author in the text's byline, and the
        // description names them, so authorship is never lost.
        let people = try authors.map { id throws(STU3PieceError) in (id: id, reference: try STU3Pieces.person(id, in: context)) }
        let professionals = people.filter { context.member($0.id)?.kind == "professional" }.map(\.reference)
        let others = people.filter { context.member($0.id)?.kind != "professional" }.compactMap { $0.reference["display"]?.stringValue }
        let byOthers = others.isEmpty ? nil : "geschreven door \(others.joined(separator: ", "))"
        let fullDescription = [description, byOthers].compactMap { $0 }.joined(separator: "; ")
        let binaryID = context.ids.id(for: entryID, role: "binary")
        var attachment: FHIRObject = ["contentType": .string(contentType), "language": "nl"]
        attachment["url"] = .string("Binary/\(binaryID)")
        attachment["size"] = .number(FHIRNumber(size))
        attachment["title"] = .string(title)
        let documentID = context.ids.id(for: entryID)
        let reference = try STU3.resource(
            "DocumentReference", id: documentID, profile: Self.profile,
            [
                ("masterIdentifier", ["system": "urn:ietf:rfc:3986", "value": .string(Self.uuid(for: documentID, pzc: context.ids.pzcID))]),
                ("status", "current"),
                ("type", ["coding": .array(type.map(STU3.coding)), "text": .string(typeText)]),
                ("class", STU3.concept(documentClass)),
                ("subject", context.patientReference),
                ("indexed", .string(indexed)),
                ("author", professionals.isEmpty ? nil : .array(professionals)),
                ("description", fullDescription.isEmpty ? nil : .string(fullDescription)),
                ("content", [["attachment": .object(attachment)]]),
            ])
        // Binary is exempt from meta.profile in MedMij's checks; there is no zib profile for it.
        let binary = try FHIRResource([
            "resourceType": "Binary", "id": .string(binaryID), "contentType": .string(contentType), "content": .string(base64),
        ])
        return [reference, binary]
    }

    /// A name-based UUID (RFC 4122 version 5 layout over SHA-256) so the master identifier stays the same
    /// across re-imports of the same entry.
    static func uuid(for id: String, pzc: String) -> String {
        var bytes = Array(SHA256.hash(data: Array("zorgnet-document:\(pzc):\(id)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return "urn:uuid:" + parts.joined(separator: "-")
    }
}

extension Bestand: STU3Rendering {
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        try DocumentPair(
            entryID: source.entryID, type: [type ?? DocumentCodes.sharedFile], documentClass: DocumentCodes.filesSection,
            typeText: type?.display ?? "Bestand", title: name, description: description,
            indexed: source.createdAt ?? "", authors: [source.author], contentType: mimeType,
            base64: contentBase64, size: size, inline: false
        ).resources(in: context)
    }
}

extension TekstDocument: STU3Rendering {
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let bytes = Data(plainText(in: context).utf8)
        return try DocumentPair(
            entryID: source.entryID, type: kind.typeCodes, documentClass: kind.classCode, typeText: kind.dutchName,
            title: title, description: "\(kind.dutchName): \(title)",
            indexed: date, authors: authors, contentType: "text/plain; charset=utf-8",
            base64: bytes.base64EncodedString(), size: bytes.count, inline: true
        ).resources(in: context)
    }

    /// The text as a reader sees it: title, then every part with who wrote it and when.
    func plainText(in context: STU3RenderContext) -> String {
        var lines = [title, String(repeating: "=", count: title.count), ""]
        var listedHistory = false
        for section in sections {
            let name = context.member(section.author).map { PersonNameFormatter.display($0.name) }
                ?? (section.author == "patient" ? context.patientDisplay : section.author)
            let byline = "\(name), \(section.createdAt)"
            if let text = section.text {
                lines.append(section.heading.map { "\($0) — \(byline)" } ?? byline)
                lines.append(text)
                lines.append("")
            } else {
                // Parts without text are the history of the document (a page's revisions).
                if !listedHistory { lines.append("Revisiegeschiedenis:") }
                listedHistory = true
                lines.append("- \(section.heading.map { "\($0) — " } ?? "")\(byline)")
            }
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
    }
}
