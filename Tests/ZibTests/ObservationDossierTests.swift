import FHIR
import Foundation
import Testing

@testable import Zib

@Suite("Dossier observations, devices, encounters, procedures and nutrition")
struct ObservationDossierTests {
    static let entry = #""author": "m-gp", "createdAt": "2026-03-01T09:00:00+01:00""#

    static let dossier = """
        "dossier": {
          "problems": [{"id": "pr-1", \(entry), "code": {"system": "http://snomed.info/sct", "code": "125605004",
                        "display": "Fracture of bone"}, "type": "diagnosis", "status": "inactive"}],
          "livingSituation": [{"id": "ls-1", \(entry), "date": "2026-03-01",
            "value": {"system": "urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.13.1", "code": "1", "display": "Eengezinswoning"}}],
          "tobaccoUse": [{"id": "tu-1", \(entry), "date": "2026-03-01", "start": "1970", "end": "2010",
            "value": {"system": "http://snomed.info/sct", "code": "8517006", "display": "Ex-smoker"},
            "amount": "30", "amountUnit": "{PackYears}"},
            {"id": "tu-2", \(entry), "date": "2026-03-01", "value": {"system": "http://snomed.info/sct", "code": "77176002",
             "display": "Smoker"}, "amount": "veel", "amountUnit": "{cigarettes}/d"}],
          "alcoholUse": [{"id": "au-1", \(entry), "date": "2026-03-01",
            "value": {"system": "http://snomed.info/sct", "code": "219006", "display": "Current drinker of alcohol"},
            "amount": "4", "amountUnit": "{glasses}/wk"}],
          "drugUse": [{"id": "du-1", \(entry), "date": "2026-03-01",
            "name": {"system": "http://snomed.info/sct", "code": "228366006", "display": "Finding relating to drug misuse behavior"},
            "value": {"system": "http://snomed.info/sct", "code": "228367002", "display": "Does not misuse drugs"}}],
          "functionalStatus": [{"id": "fs-1", \(entry), "date": "2026-03-01", "category": "functional",
            "name": {"system": "http://hl7.org/fhir/sid/icf-nl", "code": "d450", "display": "Lopen"},
            "value": {"system": "http://hl7.org/fhir/sid/icf-nl", "code": "d450.2", "display": "Lopen: MATIGE beperking"}},
            {"id": "fs-2", \(entry), "date": "2026-03-01",
            "name": {"system": "http://hl7.org/fhir/sid/icf-nl", "code": "b144", "display": "Geheugenfuncties"},
            "value": {"system": "http://hl7.org/fhir/sid/icf-nl", "code": "b144.1", "display": "Geheugenfuncties: LICHTE stoornis"}},
            {"id": "fs-3", \(entry), "date": "2026-03-01", "category": "functional",
            "value": {"system": "http://hl7.org/fhir/sid/icf-nl", "code": "d450.2", "display": "Lopen: MATIGE beperking"}},
            {"id": "fs-4", \(entry), "date": "2026-03-01", "category": "mental",
            "name": {"system": "http://hl7.org/fhir/sid/icf-nl", "code": "b144", "display": "Geheugenfuncties"},
            "value": {"system": "http://snomed.info/sct", "code": "386807006", "display": "Memory impairment"}}],
          "medicalDevices": [{"id": "md-1", \(entry), "start": "2019-04-01",
            "productType": {"system": "http://snomed.info/sct", "code": "6012004", "display": "Hearing aid"},
            "bodySite": {"system": "http://snomed.info/sct", "code": "117590005", "display": "Ear structure"}}],
          "encounters": [{"id": "en-1", \(entry), "encounterClass": "IMP", "start": "2025-05-01", "end": "2025-05-04",
            "organization": "org-linde", "reason": "Heupfractuur"},
            {"id": "en-2", \(entry), "encounterClass": "AMB", "start": "2025-06-01", "organization": "Ziekenhuis Zuid"},
            {"id": "en-3", \(entry), "encounterClass": "XYZ", "start": "2025-06-01"}],
          "procedures": [{"id": "pc-1", \(entry), "start": "2025-05-02", "end": "2025-05-02", "performer": "m-gp", "reason": "pr-1",
            "procedure": {"system": "http://snomed.info/sct", "code": "52734007", "display": "Total replacement of hip"},
            "category": {"system": "http://snomed.info/sct", "code": "387713003", "display": "Surgical procedure"}},
            {"id": "pc-2", \(entry), "start": "2025-07-01",
            "procedure": {"system": "http://snomed.info/sct", "code": "177037000", "display": "Follikelpunctie (oöcytenpunctie)"},
            "category": {"system": "http://snomed.info/sct", "code": "387713003", "display": "Surgical procedure"}},
            {"id": "pc-3", \(entry), "start": "2025-07-01", "reason": "pr-404",
            "procedure": {"system": "http://snomed.info/sct", "code": "80146002", "display": "Appendectomy"},
            "category": {"system": "http://snomed.info/sct", "code": "387713003", "display": "Surgical procedure"}},
            {"id": "pc-4", \(entry), "start": "2025-07-01",
            "procedure": {"system": "http://snomed.info/sct", "code": "80146002", "display": "Appendectomy"}},
            {"id": "pc-5", \(entry), "start": "2025-07-01",
            "procedure": {"system": "http://snomed.info/sct", "code": "410006001", "display": "Digital examination of rectum"},
            "category": {"system": "http://snomed.info/sct", "code": "103693007", "display": "Diagnostic procedure"}}],
          "labResults": [{"id": "lab-1", \(entry), "effective": "2026-02-27T08:30:00+01:00", "value": "7.10", "unit": "mmol/L",
            "test": {"system": "http://loinc.org", "code": "2345-7", "display": "Glucose [Moles/volume] in Serum or Plasma"},
            "resultType": {"system": "http://snomed.info/sct", "code": "275711006", "display": "Serum chemistry test"},
            "interpretation": "high", "referenceRange": "4.0 - 6.1 mmol/L",
            "specimen": {"system": "http://snomed.info/sct", "code": "119297000", "display": "Blood specimen"}},
            {"id": "lab-2", \(entry), "effective": "2026-02-27", "value": "negatief", "status": "appended",
            "test": {"system": "http://loinc.org", "code": "5802-4", "display": "Nitrite [Presence] in Urine by Test strip"}},
            {"id": "lab-3", \(entry), "effective": "2026-02-27", "value": "1", "interpretation": "weird",
            "test": {"system": "http://loinc.org", "code": "5802-4", "display": "Nitrite [Presence] in Urine by Test strip"}},
            {"id": "lab-4", \(entry), "effective": "2026-02-27", "value": "1", "status": "done",
            "test": {"system": "http://loinc.org", "code": "5802-4", "display": "Nitrite [Presence] in Urine by Test strip"}}],
          "nutritionAdvice": [{"id": "na-1", \(entry), "description": "Zoutbeperkt, maximaal 2 gram natrium per dag",
            "start": "2026-03-01", "diet": {"system": "http://snomed.info/sct", "code": "437421000124105", "display": "Sodium restricted diet"}}]
        }
        """

    static func rendered() throws -> (MappingResult, STU3Renderer.Output) {
        ObservationFixture.render(try ObservationFixture.export(dossier))
    }

    @Test("social history and functional status carry the codes the BgZ queries select on", arguments: [
        ("ls-1", "zib-LivingSituation", "365508006"),
        ("tu-1", "zib-TobaccoUse", "365980008"),
        ("au-1", "zib-AlcoholUse", "228273003"),
        ("du-1", "zib-DrugUse", "228366006"),
        ("fs-1", "zib-FunctionalOrMentalStatus", "d450"),
    ])
    func socialHistory(_ entry: String, _ profile: String, _ code: String) throws {
        let (_, output) = try Self.rendered()
        let observation = try #require(ObservationFixture.resource(output, id: "pzc-obs-\(entry)"))
        #expect(observation.profiles == ["http://nictiz.nl/fhir/StructureDefinition/\(profile)"])
        #expect(observation[path: "code", "coding", 0, "code"] == .string(code))
        #expect(observation[path: "performer", 0, "reference"] == "Practitioner/pzc-obs-m-gp")
    }

    @Test("amounts become the zib's components", arguments: [
        ("tu-1", "401201003", "30", "{PackYears}"),
        ("au-1", "160573003", "4", "{glasses}/wk"),
    ])
    func amounts(_ entry: String, _ component: String, _ value: String, _ unit: String) throws {
        let (_, output) = try Self.rendered()
        let observation = try #require(ObservationFixture.resource(output, id: "pzc-obs-\(entry)"))
        #expect(observation[path: "component", 0, "code", "coding", 0, "code"] == .string(component))
        #expect(observation[path: "component", 0, "valueQuantity", "value"]?.numberValue?.text == value)
        #expect(observation[path: "component", 0, "valueQuantity", "code"] == .string(unit))
    }

    @Test("a period of use becomes effectivePeriod; a single date effectiveDateTime")
    func effective() throws {
        let (_, output) = try Self.rendered()
        let tobacco = try #require(ObservationFixture.resource(output, id: "pzc-obs-tu-1"))
        #expect(tobacco[path: "effectivePeriod", "start"] == "1970")
        #expect(tobacco[path: "effectivePeriod", "end"] == "2010")
        let living = try #require(ObservationFixture.resource(output, id: "pzc-obs-ls-1"))
        #expect(living[path: "effectiveDateTime"] == "2026-03-01")
        #expect(living[path: "valueCodeableConcept", "coding", 0, "display"] == "Eengezinswoning")
    }

    @Test("functional status has its category, the assessed function as code and the finding as value (StatusWaarde)")
    func functionalStatus() throws {
        let (_, output) = try Self.rendered()
        let status = try #require(ObservationFixture.resource(output, id: "pzc-obs-fs-1"))
        #expect(status[path: "category", 0, "coding", 0, "code"] == "118228005")
        #expect(status[path: "code", "coding", 0, "code"] == "d450")
        #expect(status[path: "valueCodeableConcept", "coding", 0, "system"] == "http://hl7.org/fhir/sid/icf-nl")
        #expect(status[path: "valueCodeableConcept", "coding", 0, "code"] == "d450.2")
        #expect(status[path: "valueCodeableConcept", "text"] == "Lopen: MATIGE beperking")
    }

    @Test("entries the dossier mappings refuse are reported with their reasons", arguments: [
        ("tu-2", "dossier.tobaccoUse", "amount 'veel' is not a number"),
        ("fs-2", "dossier.functionalStatus", "category is missing"),
        ("fs-3", "dossier.functionalStatus", "name is missing"),
        ("fs-4", "dossier.functionalStatus", "value is coded in http://snomed.info/sct, not in http://hl7.org/fhir/sid/icf-nl like the name"),
        ("pc-4", "dossier.procedures", "category is missing"),
        ("lab-4", "dossier.labResults", "status 'done' is not one of pending, preliminary, final, appended, corrected"),
        ("en-3", "dossier.encounters", "encounterClass 'XYZ' is not one of AMB"),
        ("pc-3", "dossier.procedures", "reason 'pr-404' refers to nothing in dossier.problems"),
        ("lab-3", "dossier.labResults", "interpretation 'weird' is not one of normal, high, low, abnormal"),
    ])
    func refused(_ entry: String, _ section: String, _ reason: String) throws {
        let (_, output) = try Self.rendered()
        let unmapped = try #require(output.unmapped.first { $0.entryID == entry })
        #expect(unmapped.section == section)
        #expect(unmapped.reason.contains(reason), "\(unmapped.reason)")
        #expect(ObservationFixture.resource(output, id: "pzc-obs-\(entry)") == nil)
    }

    @Test("a name outside functional status is reported as left out; the entry itself is still rendered")
    func nameOutsideFunctionalStatus() throws {
        let (_, output) = try Self.rendered()
        #expect(output.unmapped.filter { $0.entryID == "du-1" }.map(\.reason) == ["name is only used for functional status; left out"])
        #expect(ObservationFixture.resource(output, id: "pzc-obs-du-1") != nil)
    }

    @Test("a lab result has the zib category, result type, value as written, flags and its specimen")
    func laboratory() throws {
        let (_, output) = try Self.rendered()
        let result = try #require(ObservationFixture.resource(output, id: "pzc-obs-lab-1"))
        #expect(result.profiles == ["http://nictiz.nl/fhir/StructureDefinition/zib-LaboratoryTestResult-Observation"])
        #expect(result[path: "category", 0, "coding", 0, "code"] == "49581000146104")
        #expect(result[path: "category", 1, "coding", 0, "code"] == "275711006")
        #expect(result[path: "status"] == "final")
        #expect(result[path: "_status", "extension", 0, "url"] == "http://nictiz.nl/fhir/StructureDefinition/code-specification")
        #expect(result[path: "_status"]?.codeSpecification == "urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.16.1|final")
        #expect(result[path: "_status", "extension", 0, "valueCodeableConcept", "coding", 0, "display"] == "Definitief")
        #expect(result[path: "code", "coding", 0, "code"] == "2345-7")
        #expect(result[path: "valueQuantity", "value"]?.numberValue?.text == "7.10")
        #expect(result[path: "interpretation", "coding", 0, "code"] == "H")
        #expect(result[path: "interpretation", "coding", 1, "code"] == "281302008")
        #expect(result[path: "referenceRange", 0, "text"] == "4.0 - 6.1 mmol/L")
        #expect(result[path: "specimen", "reference"] == "Specimen/pzc-obs-lab-1-specimen")
        let specimen = try #require(ObservationFixture.resource(output, id: "pzc-obs-lab-1-specimen"))
        #expect(specimen.profiles == ["http://nictiz.nl/fhir/StructureDefinition/zib-LaboratoryTestResult-Specimen"])
        #expect(specimen[path: "type", "coding", 0, "code"] == "119297000")
        let text = try #require(ObservationFixture.resource(output, id: "pzc-obs-lab-2"))
        #expect(text[path: "valueString"] == "negatief")
        // The zib's "appended" is STU3's "amended" (Nictiz ConceptMap ResultStatusCodelist-to-ObservationStatus).
        #expect(text[path: "status"] == "amended")
        #expect(text[path: "_status"]?.codeSpecification == "urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.16.1|appended")
    }

    @Test("a medical device is a DeviceUseStatement pointing to its Device")
    func device() throws {
        let (_, output) = try Self.rendered()
        let statement = try #require(ObservationFixture.resource(output, id: "pzc-obs-md-1"))
        #expect(statement.resourceType == "DeviceUseStatement")
        #expect(statement.profiles == ["http://nictiz.nl/fhir/StructureDefinition/zib-MedicalDevice"])
        #expect(statement[path: "status"] == "active")
        #expect(statement[path: "device", "reference"] == "Device/pzc-obs-md-1-device")
        #expect(statement[path: "device", "display"] == "Hearing aid")
        let device = try #require(ObservationFixture.resource(output, id: "pzc-obs-md-1-device"))
        #expect(device.profiles == ["http://nictiz.nl/fhir/StructureDefinition/zib-MedicalDeviceProduct"])
        #expect(device[path: "type", "coding", 0, "code"] == "6012004")
    }

    @Test("an admission is an Encounter of v3 ActCode class IMP with its provider")
    func encounter() throws {
        let (_, output) = try Self.rendered()
        let admission = try #require(ObservationFixture.resource(output, id: "pzc-obs-en-1"))
        #expect(admission.profiles == ["http://nictiz.nl/fhir/StructureDefinition/zib-Encounter"])
        #expect(admission[path: "class", "system"] == "http://hl7.org/fhir/v3/ActCode")
        #expect(admission[path: "class", "code"] == "IMP")
        #expect(admission[path: "status"] == "finished")
        #expect(admission[path: "period", "end"] == "2025-05-04")
        #expect(admission[path: "serviceProvider", "reference"] == "Organization/pzc-obs-org-linde")
        let visit = try #require(ObservationFixture.resource(output, id: "pzc-obs-en-2"))
        #expect(visit[path: "serviceProvider"] == ["display": "Ziekenhuis Zuid"])
        #expect(visit[path: "status"] == "in-progress")
    }

    @Test("procedures carry the category the export gives, never one guessed from the name", arguments: [
        ("pc-1", "387713003"), ("pc-2", "387713003"), ("pc-5", "103693007"),
    ])
    func procedure(_ entry: String, _ category: String) throws {
        let (_, output) = try Self.rendered()
        let procedure = try #require(ObservationFixture.resource(output, id: "pzc-obs-\(entry)"))
        #expect(procedure.profiles == ["http://nictiz.nl/fhir/StructureDefinition/zib-Procedure"])
        #expect(procedure[path: "category", "coding", 0, "code"] == .string(category))
        if entry == "pc-1" {
            #expect(procedure[path: "reasonReference", 0, "reference"] == .string("Condition/\(ResourceIdentity(pzcID: "pzc-obs").id(for: "pr-1"))"))
            #expect(procedure[path: "reasonReference", 0, "display"] == "Fracture of bone")
            #expect(procedure[path: "performer", 0, "actor", "reference"] == "Practitioner/pzc-obs-m-gp")
            #expect(procedure[path: "performedPeriod", "start"] == "2025-05-02")
        }
    }

    @Test("nutrition advice is an active NutritionOrder with the diet and instruction")
    func nutrition() throws {
        let (_, output) = try Self.rendered()
        let order = try #require(ObservationFixture.resource(output, id: "pzc-obs-na-1"))
        #expect(order.profiles == ["http://nictiz.nl/fhir/StructureDefinition/zib-NutritionAdvice"])
        #expect(order[path: "status"] == "active")
        #expect(order[path: "dateTime"] == "2026-03-01T09:00:00+01:00")
        #expect(order[path: "orderer", "reference"] == "Practitioner/pzc-obs-m-gp")
        #expect(order[path: "oralDiet", "type", 0, "coding", 0, "code"] == "437421000124105")
        #expect(order[path: "oralDiet", "instruction"] == "Zoutbeperkt, maximaal 2 gram natrium per dag")
        #expect(order[path: "oralDiet", "schedule", 0, "repeat", "boundsPeriod", "start"] == "2026-03-01")
    }

    @Test("every rendered resource passes the qualification checks and round-trips through XML")
    func quality() throws {
        let (_, output) = try Self.rendered()
        #expect(output.resources.count == 16)
        for resource in output.resources {
            #expect(documentAwareQualityProblems(in: resource) == [], "\(resource.resourceType)/\(resource.id ?? "")")
            #expect(try roundTripsThroughXML(resource), "\(resource.resourceType)/\(resource.id ?? "")")
        }
    }
}
