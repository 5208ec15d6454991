import FHIR
import Testing

@testable import Zib

@Suite("Clinical zibs rendered as STU3")
struct ClinicalRenderingTests {
    let fixture: ZibFixture.Rendered

    init() throws {
        fixture = try ZibFixture.rendered()
    }

    @Test("every clinical resource has its zib profile and an id from its entry", arguments: [
        ("Condition", "pzc-berg-p-astma", "http://nictiz.nl/fhir/StructureDefinition/zib-Problem"),
        ("AllergyIntolerance", "pzc-berg-a-pinda", "http://nictiz.nl/fhir/StructureDefinition/zib-AllergyIntolerance"),
        ("MedicationStatement", "pzc-berg-ms-salbutamol", "http://nictiz.nl/fhir/StructureDefinition/zib-MedicationUse"),
        ("Medication", "pzc-berg-ms-salbutamol-medication", "http://nictiz.nl/fhir/StructureDefinition/zib-Product"),
        ("Immunization", "pzc-berg-v-griep", "http://nictiz.nl/fhir/StructureDefinition/zib-Vaccination"),
        ("Flag", "pzc-berg-al-pinda", "http://nictiz.nl/fhir/StructureDefinition/zib-Alert"),
        ("Consent", "pzc-berg-ad-nr", "http://nictiz.nl/fhir/StructureDefinition/zib-AdvanceDirective"),
        ("Consent", "pzc-berg-td-reanimatie", "http://nictiz.nl/fhir/StructureDefinition/zib-TreatmentDirective"),
    ])
    func profiles(_ type: String, _ id: String, _ profile: String) throws {
        let resource = try #require(fixture.resource(type, id))
        #expect(resource.profiles == [profile])
    }

    @Test("a coded problem has status and verification with code-specification, category and asserter")
    func codedProblem() throws {
        let condition = try #require(fixture.resource("Condition", "pzc-berg-p-astma"))
        #expect(condition["clinicalStatus"] == "active")
        #expect(condition["_clinicalStatus"]?.codeSpecification == "http://snomed.info/sct|55561003")
        #expect(condition["verificationStatus"] == "confirmed")
        #expect(condition["_verificationStatus"]?.codeSpecification == "http://snomed.info/sct|410605003")
        #expect(condition["category"]?.elements.first?.tokens == ["http://snomed.info/sct|282291009"])
        #expect(condition["code"]?.tokens == ["http://snomed.info/sct|195967001"])
        #expect(condition["subject"]?["display"] == "Thomas van der Berg")
        #expect(condition["asserter"]?["reference"] == "Practitioner/pzc-berg-m-gp")
        #expect(condition["onsetDateTime"] == "1989-05-01")
    }

    @Test("a problem named only in text is still a valid Condition, with its abatement")
    func textProblem() throws {
        let condition = try #require(fixture.resource("Condition", "pzc-berg-p-rugpijn"))
        #expect(condition["code"] == ["text": "Rugpijn na tillen"])
        #expect(condition["clinicalStatus"] == "inactive")
        #expect(condition["_clinicalStatus"]?.codeSpecification == "http://snomed.info/sct|73425007")
        #expect(condition["category"]?.elements.first?.tokens == ["http://snomed.info/sct|409586006"])
        #expect(condition["abatementDateTime"] == "2026-01-10")
        #expect(condition["asserter"]?["reference"] == "Patient/pzc-berg-patient")
    }

    @Test("an allergy carries the zib codes on status, category, criticality and severity")
    func allergy() throws {
        let allergy = try #require(fixture.resource("AllergyIntolerance", "pzc-berg-a-pinda"))
        #expect(allergy["_clinicalStatus"]?.codeSpecification == "http://hl7.org/fhir/v3/ActStatus|active")
        #expect(allergy["category"] == ["food"])
        #expect(allergy["_category"]?.elements.first?.codeSpecification == "http://snomed.info/sct|418471000")
        #expect(allergy["criticality"] == "high")
        #expect(allergy["_criticality"]?.codeSpecification == "http://snomed.info/sct|24484000")
        let reaction = try #require(allergy["reaction"]?.elements.first)
        #expect(reaction["severity"] == "severe")
        #expect(reaction["_severity"]?.codeSpecification == "http://snomed.info/sct|24484000")
        #expect(allergy["code"]?.tokens == ["http://snomed.info/sct|762952008"])
    }

    @Test("medication use refers to its Medication with display; category, dates and extensions are set")
    func medicationUse() throws {
        let statement = try #require(fixture.resource("MedicationStatement", "pzc-berg-ms-salbutamol"))
        #expect(statement["medicationReference"] == [
            "reference": "Medication/pzc-berg-ms-salbutamol-medication", "display": "SALBUTAMOL AEROSOL 100UG/DO",
        ])
        #expect(statement["category"]?.tokens == ["urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3|6"])
        #expect(statement["category"]?["coding"]?.elements.first?["display"] == "Medicatiegebruik")
        #expect(statement["dateAsserted"] == "2026-05-19T10:00:00+02:00")
        #expect(statement["effectivePeriod"] == ["start": "1995-03-01"])
        #expect(statement["status"] == "active")
        #expect(statement["taken"] == "y")
        #expect(statement["dosage"]?.elements.first?["text"] == "Zo nodig 1 à 2 inhalaties")
        let urls = (statement["extension"]?.elements ?? []).compactMap { $0["url"]?.stringValue }
        #expect(urls == [
            "http://nictiz.nl/fhir/StructureDefinition/zib-MedicationUse-AsAgreedIndicator",
            "http://nictiz.nl/fhir/StructureDefinition/zib-MedicationUse-Prescriber",
        ])
        let medication = try #require(fixture.resource("Medication", "pzc-berg-ms-salbutamol-medication"))
        #expect(medication["code"]?.tokens == ["http://www.whocc.no/atc|R03AC02"])
    }

    @Test("a product without code is named by code.text only, and its use has ended")
    func freeTextProduct() throws {
        let medication = try #require(fixture.resource("Medication", "pzc-berg-ms-zalf-medication"))
        #expect(medication["code"] == ["text": "Zelfgemaakte calendulazalf"])
        let statement = try #require(fixture.resource("MedicationStatement", "pzc-berg-ms-zalf"))
        #expect(statement["status"] == "completed")
        #expect(statement["informationSource"]?["reference"] == "Patient/pzc-berg-patient")
        #expect(statement["extension"] == nil)
    }

    @Test("a vaccination is completed, given, and primary source when recorded by who gave it")
    func vaccination() throws {
        let immunization = try #require(fixture.resource("Immunization", "pzc-berg-v-griep"))
        #expect(immunization["status"] == "completed")
        #expect(immunization["notGiven"] == false)
        #expect(immunization["primarySource"] == true)
        #expect(immunization["vaccineCode"]?.tokens == ["http://www.whocc.no/atc|J07BB02"])
        #expect(immunization["practitioner"]?.elements.first?["actor"]?["display"] == "Eva Kuipers")
    }

    @Test("an alert points at the allergy it is about")
    func alert() throws {
        let flag = try #require(fixture.resource("Flag", "pzc-berg-al-pinda"))
        #expect(flag["status"] == "active")
        #expect(flag["category"]?.tokens == ["http://loinc.org|74018-3"])
        #expect(flag["code"]?.tokens == ["http://snomed.info/sct|91935009"])
        let detail = try #require(flag["extension"]?.elements.first)
        #expect(detail["url"] == "http://hl7.org/fhir/StructureDefinition/flag-detail")
        #expect(detail["valueReference"]?["reference"] == "AllergyIntolerance/pzc-berg-a-pinda")
    }

    @Test("an advance directive has both category slices and links its signed document")
    func advanceDirective() throws {
        let consent = try #require(fixture.resource("Consent", "pzc-berg-ad-nr"))
        #expect(consent["status"] == "active")
        #expect(consent["category"]?.elements.flatMap(\.tokens) == [
            "http://snomed.info/sct|11341000146107", "urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.14.1|NR",
        ])
        #expect(consent["dateTime"] == "2026-03-12")
        #expect(consent["sourceReference"] == ["reference": "DocumentReference/pzc-berg-f-nr", "display": "NR-verklaring.pdf"])
        #expect(consent["patient"]?["display"] == "Thomas van der Berg")
    }

    @Test("a treatment directive says in a modifier extension whether the treatment is permitted")
    func treatmentDirective() throws {
        let consent = try #require(fixture.resource("Consent", "pzc-berg-td-reanimatie"))
        #expect(consent["category"]?.elements.flatMap(\.tokens) == ["http://snomed.info/sct|11291000146105"])
        let permitted = try #require(consent["modifierExtension"]?.elements.first)
        #expect(permitted["url"] == "http://nictiz.nl/fhir/StructureDefinition/zib-TreatmentDirective-TreatmentPermitted")
        #expect(permitted["valueCodeableConcept"]?.tokens == ["urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4|NEE"])
        let treatment = consent["extension"]?.elements.first { $0["url"]?.stringValue?.hasSuffix("TreatmentDirective-Treatment") == true }
        #expect(treatment?["valueCodeableConcept"]?.tokens == ["http://snomed.info/sct|89666000"])
    }
}
