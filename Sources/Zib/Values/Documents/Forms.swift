/// A form (formulier) of the PZC, served as a Questionnaire so filled forms can point to it. Its author
/// (`source.author`, checked to exist) and dates are the form's own.
///
/// ```swift
/// let form = Formulier(source: source, form: export.forms[0])
/// form.form.items.count   // 3
/// ```
public struct Formulier: ZibValue, Hashable {
    public static let zibName = "Formulier"
    public var source: EntrySource
    public var form: Form

    public init(source: EntrySource, form: Form) {
        self.source = source
        self.form = form
    }
}

/// A filled form, served as a QuestionnaireResponse whose answers are typed by the form's items.
/// Its author is `source.author`, checked to be the patient or a member.
public struct IngevuldFormulier: ZibValue, Hashable {
    public static let zibName = "IngevuldFormulier"
    public var source: EntrySource
    public var formID: String
    public var formTitle: String
    /// When the answers were given as they stand: the last change, or else the creation.
    public var authored: String
    public var answers: [TypedAnswer]

    public init(source: EntrySource, formID: String, formTitle: String, authored: String, answers: [TypedAnswer]) {
        self.source = source
        self.formID = formID
        self.formTitle = formTitle
        self.authored = authored
        self.answers = answers
    }
}

/// One answer with the question it belongs to, its value already checked against the item type.
public struct TypedAnswer: Sendable, Hashable {
    public var linkID: String
    public var question: String
    public var value: Value

    public enum Value: Sendable, Hashable {
        case string(String)
        case integer(Int)
        /// Decimal text as written.
        case decimal(String)
        case boolean(Bool)
        /// An xs:date / FHIR date.
        case date(String)
        /// The option chosen, as its text (the form's options carry no codes).
        case choice(String)
    }

    public init(linkID: String, question: String, value: Value) {
        self.linkID = linkID
        self.question = question
        self.value = value
    }
}
