import FHIR
import Foundation

@testable import Zib

/// One PZC export exercising every administrative and clinical section, with deliberate gaps (entries
/// that cannot be mapped, references to members that do not exist), mapped and rendered once.
enum ZibFixture {
    static let json = #"""
        {"format": "zorgnet-pzc/1",
         "pzc": {"id": "pzc-berg", "title": "Zorgnet Thomas", "createdAt": "2026-01-01T10:00:00+01:00"},
         "patient": {
           "name": {"given": ["Thomas"], "prefix": "van der", "family": "Berg"},
           "birthDate": "1981-02-17", "gender": "male", "bsn": "999968221", "maritalStatus": "M",
           "address": {"street": "Vondellaan", "houseNumber": "87", "houseNumberSuffix": "A", "postalCode": "3817AC", "city": "Amersfoort", "country": "NLD"},
           "telecom": [{"system": "phone", "value": "06-12345621", "use": "mobile"}, {"system": "email", "value": "thomas@example.com", "use": "home"}],
           "contactPersons": [{"member": "m-lotte", "role": "first-contact", "relationship": "wife"},
                              {"member": "m-jan", "relationship": "friend"},
                              {"member": "m-lotte", "role": "legal-representative", "relationship": "wife"},
                              {"member": "m-ghost", "relationship": "parent"}],
           "generalPractitioner": "m-gp",
           "payer": {"insurerName": "Zorgverzekeraar Eemland N.V.", "uzovi": "9999", "policyNumber": "EEM-260012",
                     "insuranceType": "basis", "start": "2026-01-01", "end": "2026-12-31"}
         },
         "members": [
           {"id": "m-gp", "kind": "professional", "name": {"given": ["Eva"], "family": "Kuipers"}, "role": "huisarts",
            "uzi": "999900101", "agb": "01999101", "big": "99990010101",
            "specialty": {"system": "http://fhir.nl/fhir/NamingSystem/uzi-rolcode", "code": "01.015", "display": "Huisarts"},
            "organization": {"id": "org-linde", "name": "Huisartsenpraktijk De Linde", "ura": "99990011", "agb": "01999011",
                             "type": {"system": "http://nictiz.nl/fhir/NamingSystem/organization-type", "code": "Z3", "display": "Huisartspraktijk"}}},
           {"id": "m-poh", "kind": "professional", "name": {"given": ["Sara"], "family": "Yilmaz"}, "role": "praktijkondersteuner",
            "organization": {"id": "org-linde", "name": "Huisartsenpraktijk De Linde", "ura": "99990011"}},
           {"id": "m-lotte", "kind": "family", "relationship": "wife",
            "name": {"given": ["Lotte"], "family": "Smit", "partnerPrefix": "van der", "partnerFamily": "Berg", "usage": "own-partner"},
            "telecom": [{"system": "phone", "value": "06-12345622", "use": "mobile"}]},
           {"id": "m-jan", "kind": "friend", "name": {"given": ["Jan"], "family": "Vos"}},
           {"id": "m-bot", "kind": "robot", "name": {"family": "Bot"}}
         ],
         "dossier": {
           "problems": [
             {"id": "p-astma", "author": "m-gp", "createdAt": "2026-02-01T09:00:00+01:00",
              "code": {"system": "http://snomed.info/sct", "code": "195967001", "display": "Astma"},
              "type": "diagnosis", "status": "active", "verification": "confirmed", "onset": "1989-05-01"},
             {"id": "p-rugpijn", "author": "patient", "createdAt": "2026-02-02T09:00:00+01:00", "text": "Rugpijn na tillen",
              "type": "complaint", "status": "inactive", "onset": "2025-11-01", "resolved": "2026-01-10"},
             {"id": "p-leeg", "author": "m-gp", "createdAt": "2026-02-03T09:00:00+01:00", "type": "diagnosis", "status": "active"},
             {"id": "p-wees", "author": "m-gone", "createdAt": "2026-02-04T09:00:00+01:00", "text": "Hooikoorts",
              "type": "diagnosis", "status": "active"}
           ],
           "allergies": [
             {"id": "a-pinda", "author": "m-gp", "createdAt": "2026-02-05T09:00:00+01:00",
              "substance": {"system": "http://snomed.info/sct", "code": "762952008", "display": "Pinda"},
              "category": "food", "criticality": "high", "status": "active", "onset": "1984-08",
              "reactions": [{"manifestation": {"system": "http://snomed.info/sct", "code": "39579001", "display": "Anafylaxie"}, "severity": "severe"}]}
           ],
           "medicationUse": [
             {"id": "ms-salbutamol", "author": "m-gp", "createdAt": "2026-05-19T10:00:00+02:00",
              "product": {"system": "http://www.whocc.no/atc", "code": "R03AC02", "display": "salbutamol"},
              "productName": "SALBUTAMOL AEROSOL 100UG/DO", "dosage": "Zo nodig 1 à 2 inhalaties", "start": "1995-03-01",
              "asAgreed": true, "prescriber": "m-gp", "reason": "Astma"},
             {"id": "ms-zalf", "author": "patient", "createdAt": "2026-05-20T10:00:00+02:00",
              "productName": "Zelfgemaakte calendulazalf", "dosage": "2x daags dun aanbrengen", "start": "2026-04-01", "end": "2026-05-01"},
             {"id": "ms-naamloos", "author": "patient", "createdAt": "2026-05-21T10:00:00+02:00", "productName": " ", "dosage": "1x daags"}
           ],
           "vaccinations": [
             {"id": "v-griep", "author": "m-gp", "createdAt": "2025-10-20T11:00:00+02:00",
              "vaccine": {"system": "http://www.whocc.no/atc", "code": "J07BB02", "display": "influenza, inactivated, split virus or surface antigen"},
              "date": "2025-10-20", "dose": "0,5 ml", "administeredBy": "m-gp"}
           ],
           "alerts": [
             {"id": "al-pinda", "author": "m-gp", "createdAt": "2026-02-05T09:10:00+01:00",
              "alert": {"system": "http://snomed.info/sct", "code": "91935009", "display": "Pinda-allergie"},
              "status": "active", "concern": "a-pinda", "comment": "Adrenaline-autoinjector bij zich"}
           ],
           "advanceDirectives": [
             {"id": "ad-nr", "author": "patient", "createdAt": "2026-03-12T10:00:00+01:00",
              "type": {"system": "urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.14.1", "code": "NR", "display": "Niet reanimeren verklaring"},
              "date": "2026-03-12", "comment": "Besproken met huisarts", "document": "f-nr"}
           ],
           "treatmentDirectives": [
             {"id": "td-reanimatie", "author": "m-gp", "createdAt": "2026-03-12T10:05:00+01:00",
              "type": {"system": "http://snomed.info/sct", "code": "89666000", "display": "Reanimatie"},
              "permitted": "no", "date": "2026-03-12"},
             {"id": "td-vaag", "author": "m-gp", "createdAt": "2026-03-12T10:06:00+01:00",
              "type": {"system": "http://snomed.info/sct", "code": "40617009", "display": "Beademing"}, "date": "2026-03-12"}
           ]
         },
         "files": [{"id": "f-nr", "author": "patient", "createdAt": "2026-03-12T10:00:00+01:00", "name": "NR-verklaring.pdf",
                    "mimeType": "application/pdf", "contentBase64": "JVBERi0xLjQK"}]
        }
        """#

    /// The resource types the administrative and clinical zibs render to; other areas (documents,
    /// observations) render the rest of the fixture.
    static let resourceTypes: Set<String> = [
        "Patient", "Practitioner", "PractitionerRole", "Organization", "RelatedPerson", "Coverage", "Condition",
        "AllergyIntolerance", "MedicationStatement", "Medication", "Immunization", "Flag", "Consent",
    ]

    struct Rendered {
        let export: PZCExport
        let mapping: MappingResult
        let output: STU3Renderer.Output

        /// The resources of the administrative and clinical zibs.
        var ownResources: [FHIRResource] {
            output.resources.filter { ZibFixture.resourceTypes.contains($0.resourceType) }
        }

        func resource(_ type: String, _ id: String) -> FHIRResource? {
            output.resources.first { $0.resourceType == type && $0.id == id }
        }

        func resources(_ type: String) -> [FHIRResource] {
            output.resources.filter { $0.resourceType == type }
        }

        /// The reasons reported for one entry.
        func reasons(_ entryID: String) -> [String] {
            output.unmapped.filter { $0.entryID == entryID }.map(\.reason)
        }
    }

    static func rendered() throws -> Rendered {
        let export = try PZCExport.decode(from: Data(json.utf8))
        let mapping = PZCMapper.map(export)
        return Rendered(export: export, mapping: mapping, output: STU3Renderer.render(mapping, context: STU3RenderContext(export: export)))
    }
}

extension FHIRValue {
    /// The codings of a CodeableConcept as `system|code`.
    var tokens: [String] {
        (self["coding"]?.elements ?? []).map { "\($0["system"]?.stringValue ?? "")|\($0["code"]?.stringValue ?? "")" }
    }

    /// The code-specification coding (`system|code`) in the `_element` extras of a primitive.
    var codeSpecification: String? {
        let url = "http://nictiz.nl/fhir/StructureDefinition/code-specification"
        guard let ext = self["extension"]?.elements.first(where: { $0["url"]?.stringValue == url }) else { return nil }
        return ext["valueCodeableConcept"]?.tokens.first
    }
}
