import FHIR

// Forms as Questionnaires and filled forms as QuestionnaireResponses. zib2017 has no profiles for
// them (Nictiz's questionnaire package is separate), so they declare the base FHIR profiles.

extension Formulier: STU3Rendering {
    static let profile = "http://hl7.org/fhir/StructureDefinition/Questionnaire"

    /// The Questionnaire id of a form; filled forms refer to it.
    static func questionnaireID(_ formID: String, in context: STU3RenderContext) -> String {
        context.ids.id(for: formID, role: "questionnaire")
    }

    /// The display name of the patient or member who wrote the form.
    static func authorName(_ id: String, in context: STU3RenderContext) throws(STU3PieceError) -> String {
        guard let display = try STU3Pieces.person(id, in: context)["display"]?.stringValue else { throw .unknownPerson(id) }
        return display
    }

    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let items = form.items.map { item -> FHIRValue in
            var object: FHIRObject = ["linkId": .string(item.linkId), "text": .string(item.text), "type": .string(item.type)]
            if item.type == "choice", let options = item.options {
                object["option"] = .array(options.map { ["valueString": .string($0)] })
            }
            return .object(object)
        }
        return [
            try STU3.resource(
                "Questionnaire", id: Self.questionnaireID(form.id, in: context), profile: Self.profile,
                [
                    ("title", .string(form.title)),
                    ("status", "active"),
                    // A STU3 Questionnaire has no author reference; who wrote it is its publisher.
                    ("date", .string(form.updatedAt ?? form.createdAt)),
                    ("publisher", .string(try Self.authorName(form.author, in: context))),
                    ("item", items.isEmpty ? nil : .array(items)),
                ])
        ]
    }
}

extension IngevuldFormulier: STU3Rendering {
    static let profile = "http://hl7.org/fhir/StructureDefinition/QuestionnaireResponse"

    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let items = try answers.map { answer throws(STU3PieceError) -> FHIRValue in
            [
                "linkId": .string(answer.linkID), "text": .string(answer.question),
                "answer": [try Self.answer(answer.value)],
            ]
        }
        let questionnaire: FHIRValue = [
            "reference": .string("Questionnaire/\(Formulier.questionnaireID(formID, in: context))"), "display": .string(formTitle),
        ]
        return [
            try STU3.resource(
                "QuestionnaireResponse", id: context.ids.id(for: source.entryID), profile: Self.profile,
                [
                    ("questionnaire", questionnaire),
                    ("status", "completed"),
                    ("subject", context.patientReference),
                    ("authored", .string(authored)),
                    ("author", try STU3Pieces.person(source.author, in: context)),
                    ("item", items.isEmpty ? nil : .array(items)),
                ])
        ]
    }

    static func answer(_ value: TypedAnswer.Value) throws(STU3PieceError) -> FHIRValue {
        switch value {
        case .string(let text), .choice(let text): ["valueString": .string(text)]
        case .integer(let integer): ["valueInteger": .number(FHIRNumber(integer))]
        case .decimal(let text): ["valueDecimal": try STU3Pieces.decimal(text)]
        case .boolean(let flag): ["valueBoolean": .boolean(flag)]
        case .date(let date): ["valueDate": .string(date)]
        }
    }
}
