import Foundation

/// Maps files, diary posts, consultation threads and dossier pages to documents. None of them is a zib;
/// forcing them into one would misstate what they are.
///
/// ```swift
/// let result = DocumentMapping.map(export)
/// (result.values.first as? TekstDocument)?.kind   // .diary
/// ```
enum DocumentMapping {
    static func map(_ export: PZCExport) -> MappingResult {
        var result = EntryMapping.each(export.files, section: "files") { entry, source throws(EntryRefusal) in
            try file(entry, source)
        }
        result.append(contentsOf: EntryMapping.each(export.diary, section: "diary") { entry, source in
            diary(entry, source)
        })
        result.append(contentsOf: EntryMapping.each(export.consultations, section: "consultations") { entry, source throws(EntryRefusal) in
            try consultation(entry, source)
        })
        result.append(contentsOf: pages(export.dossier.pages))
        return result
    }

    static func file(_ entry: FileEntry, _ source: EntrySource) throws(EntryRefusal) -> Bestand {
        guard let bytes = Data(base64Encoded: entry.contentBase64) else { throw .notBase64(field: "contentBase64") }
        guard !bytes.isEmpty else { throw .noContent("file '\(entry.name)'") }
        return Bestand(
            source: source, name: entry.name, mimeType: entry.mimeType, type: entry.type, description: entry.description,
            contentBase64: entry.contentBase64, size: bytes.count)
    }

    static func diary(_ entry: DiaryEntry, _ source: EntrySource) -> TekstDocument {
        let post = TekstDocument.Section(author: entry.author, createdAt: entry.updatedAt ?? entry.createdAt, text: entry.text)
        let comments = (entry.comments ?? []).map { comment in
            TekstDocument.Section(heading: "Reactie", author: comment.author, createdAt: comment.createdAt, text: comment.text)
        }
        let sections = [post] + comments
        return TekstDocument(
            source: source, kind: .diary, title: entry.title, date: latest(sections.map(\.createdAt)) ?? entry.createdAt,
            authors: distinct(sections.map(\.author)), sections: sections)
    }

    static func consultation(_ entry: ConsultationThread, _ source: EntrySource) throws(EntryRefusal) -> TekstDocument {
        guard !entry.messages.isEmpty else { throw .noContent("consultation '\(entry.title)'") }
        let sections = entry.messages.map { message in
            TekstDocument.Section(author: message.author, createdAt: message.createdAt, text: message.text)
        }
        return TekstDocument(
            source: source, kind: .consultation, title: entry.title, date: latest(sections.map(\.createdAt)) ?? entry.createdAt,
            authors: distinct([entry.author] + sections.map(\.author)), sections: sections)
    }

    /// A page is served as its latest revision, followed by the list of all revisions so a reader sees
    /// who changed it when. Pages are not ``PZCEntry``s (their authors live in the revisions), hence the own loop.
    static func pages(_ pages: [DossierPage]) -> MappingResult {
        var result = MappingResult()
        for page in pages {
            let revisions = page.revisions.sorted { $0.revision < $1.revision }
            guard let current = revisions.last else {
                result.unmapped.append(UnmappedEntry(entryID: page.id, section: "dossier.pages", reason: EntryRefusal.noContent("page '\(page.title)'").description))
                continue
            }
            let source = EntrySource(entryID: page.id, section: "dossier.pages", author: current.author, createdAt: current.createdAt)
            var sections = [TekstDocument.Section(heading: "Revisie \(current.revision)", author: current.author, createdAt: current.createdAt, text: current.text)]
            if revisions.count > 1 {
                sections += revisions.reversed().map { revision in
                    TekstDocument.Section(heading: "Revisie \(revision.revision)", author: revision.author, createdAt: revision.createdAt, text: nil)
                }
            }
            result.values.append(
                TekstDocument(
                    source: source, kind: .dossierPage, title: page.title, date: current.createdAt,
                    authors: distinct([current.author] + revisions.reversed().map(\.author)), sections: sections))
        }
        return result
    }

    /// The latest of some ISO 8601 timestamps, compared as instants (offsets differ across summer and
    /// winter time) and textually only when a timestamp does not parse.
    static func latest(_ timestamps: [String]) -> String? {
        let parser = ISO8601DateFormatter()
        return timestamps.max { a, b in
            switch (parser.date(from: a), parser.date(from: b)) {
            case (let x?, let y?): x < y
            default: a < b
            }
        }
    }

    static func distinct(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }
}
