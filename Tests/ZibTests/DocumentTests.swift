import FHIR
import Foundation
import Testing

@testable import Zib

@Suite("Files, texts and forms as documents and questionnaires")
struct DocumentTests {
    static let sections = """
        "files": [
          {"id": "f-1", "author": "m-gp", "createdAt": "2026-04-01T10:00:00+02:00", "name": "ontslagbrief.pdf",
           "mimeType": "application/pdf", "type": {"system": "http://snomed.info/sct", "code": "11071000146104", "display": "ontslagbrief"},
           "description": "Ontslagbrief ziekenhuis", "contentBase64": "JVBERi0xLjcK"},
          {"id": "f-3", "author": "patient", "createdAt": "2026-04-02T10:00:00+02:00", "name": "foto.png",
           "mimeType": "image/png", "contentBase64": "iVBORw0KGgo="},
          {"id": "f-2", "author": "patient", "createdAt": "2026-04-01T10:00:00+02:00", "name": "kapot.pdf",
           "mimeType": "application/pdf", "contentBase64": "niet*base64"}
        ],
        "diary": [
          {"id": "d-1", "author": "patient", "createdAt": "2026-10-02T20:00:00+02:00", "title": "Goede week",
           "text": "Elke dag gewandeld.", "comments": [
             {"id": "c-1", "author": "m-daughter", "createdAt": "2026-10-03T09:00:00+02:00", "text": "Fijn om te horen!"}]}
        ],
        "consultations": [
          {"id": "o-1", "author": "m-daughter", "createdAt": "2026-09-01T12:00:00+02:00", "title": "Nieuwe medicatie",
           "messages": [
             {"id": "om-1", "author": "m-daughter", "createdAt": "2026-09-01T12:00:00+02:00", "text": "Vader is duizelig."},
             {"id": "om-2", "author": "m-gp", "createdAt": "2026-09-01T15:30:00+02:00", "text": "Ik bel morgen."}]},
          {"id": "o-2", "author": "m-daughter", "createdAt": "2026-09-01T12:00:00+02:00", "title": "Leeg", "messages": []}
        ],
        "dossier": {"pages": [
          {"id": "p-1", "title": "Afspraken thuiszorg", "revisions": [
            {"revision": 1, "author": "m-daughter", "createdAt": "2026-01-10T10:00:00+01:00", "text": "Thuiszorg komt op maandag."},
            {"revision": 2, "author": "m-gp", "createdAt": "2026-02-10T10:00:00+01:00", "text": "Thuiszorg komt op maandag en donderdag."}]},
          {"id": "p-2", "title": "Leeg", "revisions": []}
        ]},
        "forms": [
          {"id": "form-1", "author": "m-gp", "createdAt": "2026-09-20T10:00:00+02:00", "updatedAt": "2026-09-21T11:00:00+02:00",
           "title": "Vragenlijst welzijn", "items": [
            {"linkId": "1", "text": "Hoe voelt u zich?", "type": "string"},
            {"linkId": "2", "text": "Hoeveel uur sliep u?", "type": "integer"},
            {"linkId": "3", "text": "Gewicht", "type": "decimal"},
            {"linkId": "4", "text": "Pijn?", "type": "boolean"},
            {"linkId": "5", "text": "Sinds", "type": "date"},
            {"linkId": "6", "text": "Stemming", "type": "choice", "options": ["goed", "matig", "slecht"]}]},
          {"id": "form-2", "author": "m-gone", "createdAt": "2026-09-20T10:00:00+02:00", "title": "Zonder auteur", "items": []}
        ],
        "filledForms": [
          {"id": "ff-1", "author": "m-daughter", "createdAt": "2026-10-05T09:00:00+02:00", "updatedAt": "2026-10-06T08:00:00+02:00",
           "form": "form-1", "answers": [
            {"linkId": "1", "value": "Redelijk"}, {"linkId": "2", "value": "7"}, {"linkId": "3", "value": "72.50"},
            {"linkId": "4", "value": "nee"}, {"linkId": "5", "value": "2026-09"}, {"linkId": "6", "value": "matig"}]},
          {"id": "ff-2", "author": "patient", "createdAt": "2026-10-05T09:00:00+02:00", "form": "form-9", "answers": []},
          {"id": "ff-3", "author": "patient", "createdAt": "2026-10-05T09:00:00+02:00", "form": "form-1", "answers": [
            {"linkId": "2", "value": "zeven"}]},
          {"id": "ff-4", "author": "patient", "createdAt": "2026-10-05T09:00:00+02:00", "form": "form-1", "answers": [
            {"linkId": "6", "value": "super"}]}
        ]
        """

    static func rendered() throws -> STU3Renderer.Output {
        ObservationFixture.render(try ObservationFixture.export(sections)).1
    }

    /// The inline text of a text document.
    /// The text a DocumentReference points to: the content of its Binary (MHD Minimal allows no inline data).
    static func documentText(_ reference: FHIRResource, in output: STU3Renderer.Output) throws -> String {
        #expect(reference[path: "content", 0, "attachment", "data"] == nil)
        let url = try #require(reference[path: "content", 0, "attachment", "url"]?.stringValue)
        let binary = try #require(ObservationFixture.resource(output, id: String(url.dropFirst("Binary/".count))))
        let data = try #require(binary["content"]?.stringValue)
        return String(decoding: try #require(Data(base64Encoded: data)), as: UTF8.self)
    }

    @Test("a file is an MHD DocumentReference pointing to a Binary with its bytes")
    func file() throws {
        let output = try Self.rendered()
        let reference = try #require(ObservationFixture.resource(output, id: "pzc-obs-f-1"))
        #expect(reference.resourceType == "DocumentReference")
        #expect(reference.profiles == ["http://nictiz.nl/fhir/StructureDefinition/IHE.MHD.Minimal.DocumentReference"])
        #expect(reference[path: "status"] == "current")
        #expect(reference[path: "indexed"] == "2026-04-01T10:00:00+02:00")
        #expect(reference[path: "author", 0, "reference"] == "Practitioner/pzc-obs-m-gp")
        #expect(reference[path: "type", "coding", 0, "code"] == "11071000146104")
        #expect(reference[path: "class"]?.tokens == ["http://zorgnet.example/fhir/CodeSystem/pzc-section|files"])
        #expect(reference[path: "content", 0, "attachment", "url"] == "Binary/pzc-obs-f-1-binary")
        #expect(reference[path: "content", 0, "attachment", "contentType"] == "application/pdf")
        #expect(reference[path: "content", 0, "attachment", "title"] == "ontslagbrief.pdf")
        #expect(reference[path: "content", 0, "attachment", "size"]?.numberValue?.intValue == 9)
        #expect(reference[path: "masterIdentifier", "value"]?.stringValue?.hasPrefix("urn:uuid:") == true)
        let binary = try #require(ObservationFixture.resource(output, id: "pzc-obs-f-1-binary"))
        #expect(binary[path: "contentType"] == "application/pdf")
        #expect(binary[path: "content"] == "JVBERi0xLjcK")
    }

    @Test("the master identifier is the same on every import")
    func stableMasterIdentifier() throws {
        let first = try #require(ObservationFixture.resource(try Self.rendered(), id: "pzc-obs-f-1"))
        let second = try #require(ObservationFixture.resource(try Self.rendered(), id: "pzc-obs-f-1"))
        #expect(first[path: "masterIdentifier"] == second[path: "masterIdentifier"])
    }

    @Test("a file without a type of its own is typed as a shared file; its non-professional author is named in the description")
    func untypedFile() throws {
        let reference = try #require(ObservationFixture.resource(try Self.rendered(), id: "pzc-obs-f-3"))
        #expect(reference[path: "type"]?.tokens == ["http://zorgnet.example/fhir/CodeSystem/pzc-document-type|file"])
        #expect(reference[path: "type", "coding", 0, "display"] == "Gedeeld bestand")
        #expect(reference[path: "author"] == nil)
        #expect(reference[path: "description"] == "geschreven door Jan Dekker")
    }

    @Test("texts carry coded type (LOINC and the project's code) and class (the PZC section)", arguments: [
        ("d-1", ["http://loinc.org|51855-5", "http://zorgnet.example/fhir/CodeSystem/pzc-document-type|diary"], "diary"),
        ("o-1", ["http://loinc.org|34109-9", "http://zorgnet.example/fhir/CodeSystem/pzc-document-type|consultation"], "consultations"),
        ("p-1", ["http://loinc.org|34109-9", "http://zorgnet.example/fhir/CodeSystem/pzc-document-type|dossier-page"], "dossier"),
    ])
    func textCodes(_ entry: String, _ type: [String], _ section: String) throws {
        let reference = try #require(ObservationFixture.resource(try Self.rendered(), id: "pzc-obs-\(entry)"))
        #expect(reference[path: "type"]?.tokens == type)
        #expect(reference[path: "class"]?.tokens == ["http://zorgnet.example/fhir/CodeSystem/pzc-section|\(section)"])
        for coding in (reference[path: "type", "coding"]?.elements ?? []) + (reference[path: "class", "coding"]?.elements ?? []) {
            #expect(coding["display"]?.stringValue?.isEmpty == false)
        }
    }

    @Test("texts are plain-text documents naming their kind, authors and times", arguments: [
        ("d-1", "Dagboek", ["Goede week", "Jan Dekker, 2026-10-02T20:00:00+02:00", "Elke dag gewandeld.",
                             "Reactie — Anna Dekker, 2026-10-03T09:00:00+02:00", "Fijn om te horen!"]),
        ("o-1", "Overleg", ["Nieuwe medicatie", "Anna Dekker, 2026-09-01T12:00:00+02:00", "Vader is duizelig.",
                             "Eva Kuipers, 2026-09-01T15:30:00+02:00", "Ik bel morgen."]),
        ("p-1", "Dossierpagina", ["Revisie 2 — Eva Kuipers, 2026-02-10T10:00:00+01:00", "Thuiszorg komt op maandag en donderdag.",
                                   "Revisiegeschiedenis:", "- Revisie 1 — Anna Dekker, 2026-01-10T10:00:00+01:00"]),
    ])
    func texts(_ entry: String, _ kind: String, _ lines: [String]) throws {
        let output = try Self.rendered()
        let reference = try #require(ObservationFixture.resource(output, id: "pzc-obs-\(entry)"))
        #expect(reference[path: "type", "text"] == .string(kind))
        #expect(reference[path: "content", 0, "attachment", "contentType"] == "text/plain; charset=utf-8")
        #expect(reference[path: "content", 0, "attachment", "url"] == .string("Binary/pzc-obs-\(entry)-binary"))
        let text = try Self.documentText(reference, in: output)
        for line in lines { #expect(text.contains(line), "\(line) in \(text)") }
        if entry == "p-1" { #expect(!text.contains("Thuiszorg komt op maandag.\n")) }
    }

    @Test("a consultation names every author: professionals as author (all IHE MHD allows), the others in the description")
    func consultationAuthors() throws {
        let reference = try #require(ObservationFixture.resource(try Self.rendered(), id: "pzc-obs-o-1"))
        #expect(reference[path: "author"]?.elements.map { $0["reference"] } == [.string("Practitioner/pzc-obs-m-gp")])
        #expect(reference[path: "description"] == "Overleg: Nieuwe medicatie; geschreven door Anna Dekker")
        #expect(reference[path: "indexed"] == "2026-09-01T15:30:00+02:00")
    }

    @Test("a filled form answers with values typed by the form", arguments: [
        (0, "valueString", FHIRValue.string("Redelijk")),
        (1, "valueInteger", FHIRValue.number(FHIRNumber(7))),
        (2, "valueDecimal", FHIRValue.number(FHIRNumber(text: "72.50") ?? FHIRNumber(0))),
        (3, "valueBoolean", FHIRValue.boolean(false)),
        (4, "valueDate", FHIRValue.string("2026-09")),
        (5, "valueString", FHIRValue.string("matig")),
    ])
    func filledForm(_ index: Int, _ key: String, _ value: FHIRValue) throws {
        let response = try #require(ObservationFixture.resource(try Self.rendered(), id: "pzc-obs-ff-1"))
        #expect(response.profiles == ["http://hl7.org/fhir/StructureDefinition/QuestionnaireResponse"])
        #expect(response[path: "status"] == "completed")
        #expect(response[path: "questionnaire", "reference"] == "Questionnaire/pzc-obs-form-1-questionnaire")
        #expect(response[path: "item", index, "answer", 0, key] == value)
    }

    @Test("a filled form names its author and when it was last answered")
    func filledFormAuthor() throws {
        let response = try #require(ObservationFixture.resource(try Self.rendered(), id: "pzc-obs-ff-1"))
        #expect(response[path: "author", "reference"] == "RelatedPerson/pzc-obs-m-daughter")
        #expect(response[path: "author", "display"] == "Anna Dekker")
        #expect(response[path: "authored"] == "2026-10-06T08:00:00+02:00")
    }

    @Test("a form is a Questionnaire with its items, options, author and date")
    func questionnaire() throws {
        let form = try #require(ObservationFixture.resource(try Self.rendered(), id: "pzc-obs-form-1-questionnaire"))
        #expect(form[path: "title"] == "Vragenlijst welzijn")
        #expect(form[path: "publisher"] == "Eva Kuipers")
        #expect(form[path: "date"] == "2026-09-21T11:00:00+02:00")
        #expect(form[path: "item", 1, "type"] == "integer")
        #expect(form[path: "item", 5, "option", 2, "valueString"] == "slecht")
    }

    @Test("documents and forms that cannot be served are reported with the reason", arguments: [
        ("f-2", "files", "contentBase64 is not valid base64"),
        ("o-2", "consultations", "consultation 'Leeg' has no content"),
        ("p-2", "dossier.pages", "page 'Leeg' has no content"),
        ("ff-2", "filledForms", "form 'form-9' refers to nothing in forms"),
        ("ff-3", "filledForms", "answer 2 'zeven' is not a number"),
        ("ff-4", "filledForms", "answer 6 'super' is not one of goed, matig, slecht"),
        ("form-2", "forms", "author 'm-gone' refers to nothing in members"),
    ])
    func refused(_ entry: String, _ section: String, _ reason: String) throws {
        let output = try Self.rendered()
        let unmapped = try #require(output.unmapped.first { $0.entryID == entry })
        #expect(unmapped.section == section)
        #expect(unmapped.reason.contains(reason), "\(unmapped.reason)")
    }

    @Test("every document resource passes the qualification checks and round-trips through XML")
    func quality() throws {
        let output = try Self.rendered()
        #expect(output.resources.count == 12)
        for resource in output.resources {
            #expect(documentAwareQualityProblems(in: resource) == [], "\(resource.resourceType)/\(resource.id ?? "")")
            #expect(try roundTripsThroughXML(resource), "\(resource.resourceType)/\(resource.id ?? "")")
        }
    }
}
