import FHIR
import Testing

@testable import Zib

@Suite("Administrative zibs rendered as STU3")
struct AdministrativeRenderingTests {
    let fixture: ZibFixture.Rendered

    init() throws {
        fixture = try ZibFixture.rendered()
    }

    @Test("the patient is an nl-core-patient with the real BSN in the stored rendering")
    func patientIdentity() throws {
        let patient = try #require(fixture.resource("Patient", "pzc-berg-patient"))
        #expect(patient.profiles == ["http://fhir.nl/fhir/StructureDefinition/nl-core-patient"])
        let bsn = patient["identifier"]?.elements.first
        #expect(bsn?["system"] == "http://fhir.nl/fhir/NamingSystem/bsn")
        #expect(bsn?["value"] == "999968221")
        #expect(patient["gender"] == "male")
        #expect(patient["_gender"]?.codeSpecification == "http://hl7.org/fhir/v3/AdministrativeGender|M")
        #expect(patient["birthDate"] == "1981-02-17")
        #expect(patient["maritalStatus"]?.tokens == ["http://hl7.org/fhir/v3/MaritalStatus|M"])
    }

    @Test("'van der Berg' is split into own-prefix and own-name, used as NL1")
    func dutchName() throws {
        let name = try #require(fixture.resource("Patient", "pzc-berg-patient")?["name"]?.elements.first)
        #expect(name["text"] == "Thomas van der Berg")
        #expect(name["family"] == "van der Berg")
        #expect(name["given"] == ["Thomas"])
        #expect(name["extension"]?.elements.first?["valueCode"] == "NL1")
        let parts = (name["_family"]?["extension"]?.elements ?? []).map { ($0["url"]?.stringValue ?? "", $0["valueString"]?.stringValue ?? "") }
        #expect(parts.map(\.0) == ["http://hl7.org/fhir/StructureDefinition/humanname-own-prefix", "http://hl7.org/fhir/StructureDefinition/humanname-own-name"])
        #expect(parts.map(\.1) == ["van der", "Berg"])
    }

    @Test("a partner name used after the own name is NL4 with the partner extensions")
    func partnerName() throws {
        let name = try #require(fixture.resource("RelatedPerson", "pzc-berg-m-lotte")?["name"]?.elements.first)
        #expect(name["family"] == "Smit-van der Berg")
        #expect(name["extension"]?.elements.first?["valueCode"] == "NL4")
        let urls = (name["_family"]?["extension"]?.elements ?? []).compactMap { $0["url"]?.stringValue?.split(separator: "-").suffix(2).joined(separator: "-") }
        #expect(urls == ["own-name", "partner-prefix", "partner-name"])
    }

    @Test("the address carries street, number and suffix as parts and as line text")
    func address() throws {
        let address = try #require(fixture.resource("Patient", "pzc-berg-patient")?["address"]?.elements.first)
        #expect(address["line"] == ["Vondellaan 87A"])
        let parts = (address["_line"]?.elements.first?["extension"]?.elements ?? []).compactMap { $0["valueString"]?.stringValue }
        #expect(parts == ["Vondellaan", "87", "A"])
        #expect(address["postalCode"] == "3817AC")
    }

    @Test("a member listed once per role is one contact person with all roles; unknown members are reported")
    func contacts() throws {
        let contacts = fixture.resource("Patient", "pzc-berg-patient")?["contact"]?.elements ?? []
        #expect(contacts.count == 2)
        #expect(contacts.first?["relationship"]?.elements.flatMap(\.tokens) == [
            "urn:oid:2.16.840.1.113883.2.4.3.11.22.472|1", "urn:oid:2.16.840.1.113883.2.4.3.11.22.472|24",
            "http://hl7.org/fhir/v3/RoleCode|WIFE",
        ])
        #expect(contacts.last?["relationship"]?.elements.flatMap(\.tokens) == [
            "urn:oid:2.16.840.1.113883.2.4.3.11.22.472|20", "http://hl7.org/fhir/v3/NullFlavor|OTH",
        ])
        #expect(fixture.reasons("m-ghost") == ["contact person is not a member of this PZC"])
    }

    @Test("the GP is referenced as Practitioner with display and the role extension")
    func generalPractitioner() throws {
        let gp = try #require(fixture.resource("Patient", "pzc-berg-patient")?["generalPractitioner"]?.elements.first)
        #expect(gp["reference"] == "Practitioner/pzc-berg-m-gp")
        #expect(gp["display"] == "Eva Kuipers")
        #expect(gp["extension"]?.elements.first?["valueReference"]?["reference"] == "PractitionerRole/pzc-berg-m-gp-role")
    }

    @Test("practitioner identifiers use the Dutch naming systems", arguments: [
        ("http://fhir.nl/fhir/NamingSystem/uzi-nr-pers", "999900101"),
        ("http://fhir.nl/fhir/NamingSystem/agb-z", "01999101"),
        ("http://fhir.nl/fhir/NamingSystem/big", "99990010101"),
    ])
    func practitionerIdentifiers(_ system: String, _ value: String) throws {
        let practitioner = try #require(fixture.resource("Practitioner", "pzc-berg-m-gp"))
        #expect(practitioner.profiles == ["http://fhir.nl/fhir/StructureDefinition/nl-core-practitioner"])
        let identifiers = practitioner["identifier"]?.elements ?? []
        #expect(identifiers.contains { $0["system"]?.stringValue == system && $0["value"]?.stringValue == value })
    }

    @Test("each professional has a role at their organisation, which is rendered once")
    func rolesAndOrganization() throws {
        let role = try #require(fixture.resource("PractitionerRole", "pzc-berg-m-gp-role"))
        #expect(role.profiles == ["http://fhir.nl/fhir/StructureDefinition/nl-core-practitionerrole"])
        #expect(role["practitioner"]?["display"] == "Eva Kuipers")
        #expect(role["organization"]?["reference"] == "Organization/pzc-berg-org-linde")
        #expect(role["specialty"]?.elements.first?.tokens == ["http://fhir.nl/fhir/NamingSystem/uzi-rolcode|01.015"])
        #expect(fixture.resource("PractitionerRole", "pzc-berg-m-poh-role")?["specialty"]?.elements.first?["text"] == "praktijkondersteuner")
        let organizations = fixture.resources("Organization").filter { $0.id == "pzc-berg-org-linde" }
        #expect(organizations.count == 1)
        let organization = try #require(organizations.first)
        #expect(organization["identifier"]?.elements.first?["system"] == "http://fhir.nl/fhir/NamingSystem/ura")
        #expect(organization["type"]?.elements.first?.tokens == ["http://nictiz.nl/fhir/NamingSystem/organization-type|Z3"])
    }

    @Test("family and friends become RelatedPersons of the patient; other member kinds are reported")
    func relatedPersons() throws {
        let lotte = try #require(fixture.resource("RelatedPerson", "pzc-berg-m-lotte"))
        #expect(lotte.profiles == ["http://fhir.nl/fhir/StructureDefinition/nl-core-relatedperson"])
        #expect(lotte["patient"]?["display"] == "Thomas van der Berg")
        #expect(lotte["relationship"]?.tokens == ["http://hl7.org/fhir/v3/RoleCode|WIFE"])
        #expect((lotte["extension"]?.elements ?? []).flatMap { $0["valueCodeableConcept"]?.tokens ?? [] } == [
            "urn:oid:2.16.840.1.113883.2.4.3.11.22.472|1", "urn:oid:2.16.840.1.113883.2.4.3.11.22.472|24",
        ])
        #expect(fixture.resource("RelatedPerson", "pzc-berg-m-jan") != nil)
        #expect(fixture.reasons("m-bot") == ["member kind 'robot' is not professional, family or friend"])
    }

    @Test("the payer is a zib-Payer Coverage with the insurer identified by UZOVI")
    func coverage() throws {
        let coverage = try #require(fixture.resource("Coverage", "pzc-berg-payer"))
        #expect(coverage.profiles == ["http://nictiz.nl/fhir/StructureDefinition/zib-Payer"])
        #expect(coverage["type"]?.tokens == ["urn:oid:2.16.840.1.113883.2.4.3.11.60.101.5.1|B"])
        #expect(coverage["beneficiary"]?["reference"] == "Patient/pzc-berg-patient")
        #expect(coverage["subscriberId"] == "EEM-260012")
        #expect(coverage["period"]?["end"] == "2026-12-31")
        #expect(coverage["payor"]?.elements.first?["reference"] == "Organization/pzc-berg-uzovi-9999")
        let insurer = try #require(fixture.resource("Organization", "pzc-berg-uzovi-9999"))
        #expect(insurer["identifier"]?.elements.first?["system"] == "http://fhir.nl/fhir/NamingSystem/uzovi")
        #expect(insurer["name"] == "Zorgverzekeraar Eemland N.V.")
    }
}
