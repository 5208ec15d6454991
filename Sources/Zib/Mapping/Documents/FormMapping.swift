/// Maps forms to questionnaires and filled forms to responses whose answers are typed by the form.
///
/// ```swift
/// let result = FormMapping.map(export)
/// (result.values.last as? IngevuldFormulier)?.answers.first?.value   // .integer(7)
/// ```
enum FormMapping {
    /// The item types a form may use.
    enum ItemType: String, CaseIterable {
        case string, text, integer, decimal, boolean, date, choice
    }

    static func map(_ export: PZCExport) -> MappingResult {
        var result = EntryMapping.each(export.forms, section: "forms") { form, source throws(EntryRefusal) in
            guard EntryMapping.isKnownAuthor(form.author, in: export) else {
                throw .unknownReference(field: "author", id: form.author, section: "members")
            }
            for item in form.items { _ = try EntryMapping.known(item.type, field: "item \(item.linkId) type", as: ItemType.self) }
            return Formulier(source: source, form: form)
        }
        let forms = Dictionary(export.forms.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        result.append(contentsOf: EntryMapping.each(export.filledForms, section: "filledForms") { entry, source throws(EntryRefusal) in
            guard let form = forms[entry.form] else { throw .unknownReference(field: "form", id: entry.form, section: "forms") }
            guard EntryMapping.isKnownAuthor(entry.author, in: export) else {
                throw .unknownReference(field: "author", id: entry.author, section: "members")
            }
            return IngevuldFormulier(
                source: source, formID: form.id, formTitle: form.title, authored: entry.updatedAt ?? entry.createdAt,
                answers: try entry.answers.map { answer throws(EntryRefusal) in try typed(answer, in: form) })
        })
        return result
    }

    static func typed(_ answer: FilledForm.Answer, in form: Form) throws(EntryRefusal) -> TypedAnswer {
        guard let item = form.items.first(where: { $0.linkId == answer.linkId }) else {
            throw .unknownReference(field: "answer linkId", id: answer.linkId, section: "form \(form.id)")
        }
        let field = "answer \(answer.linkId)"
        let text = answer.value
        let value: TypedAnswer.Value
        switch try EntryMapping.known(item.type, field: "item \(item.linkId) type", as: ItemType.self) {
        case .string, .text:
            value = .string(text)
        case .integer:
            guard let integer = Int(text) else { throw .notANumber(field: field, value: text) }
            value = .integer(integer)
        case .decimal:
            value = .decimal(try EntryMapping.number(text, field: field))
        case .boolean:
            switch text.lowercased() {
            case "true", "ja", "yes": value = .boolean(true)
            case "false", "nee", "no": value = .boolean(false)
            default: throw .unknownKind(field: field, value: text, known: ["true", "false", "ja", "nee"])
            }
        case .date:
            guard isDate(text) else { throw .unknownKind(field: field, value: text, known: ["a date YYYY, YYYY-MM or YYYY-MM-DD"]) }
            value = .date(text)
        case .choice:
            let options = item.options ?? []
            guard options.contains(text) else { throw .unknownKind(field: field, value: text, known: options) }
            value = .choice(text)
        }
        return TypedAnswer(linkID: item.linkId, question: item.text, value: value)
    }

    /// FHIR `date`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let lengths = parts.map(\.count)
        guard [[4], [4, 2], [4, 2, 2]].contains(lengths) else { return false }
        return parts.allSatisfy { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
