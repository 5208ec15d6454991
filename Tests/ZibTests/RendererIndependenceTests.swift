import FHIR
import Foundation
import Testing

@testable import Zib

/// Zib values are FHIR-version independent: they carry the zib's own code systems, and each renderer
/// writes the URIs of its FHIR version. This is what lets an R4 renderer be added beside STU3.
@Suite("Zib values independent of the FHIR version")
struct RendererIndependenceTests {
    /// Every code the zib value types define themselves.
    static let builtInCodes: [Code] =
        Geslacht.allCases.map(\.zibCode) + BurgerlijkeStaat.allCases.map(\.zibCode)
        + AllergieIntolerantie.Status.allCases.map(\.zibCode) + AllergieIntolerantie.Categorie.allCases.map(\.zibCode)
        + AllergieIntolerantie.Kritiek.allCases.compactMap(\.zibCode) + AllergieIntolerantie.Ernst.allCases.map(\.zibCode)
        + Probleem.Status.allCases.map(\.zibCode) + Probleem.Verificatie.allCases.map(\.zibCode)
        + LaboratoriumUitslag.Interpretation.allCases.flatMap { [$0.hl7] + [$0.zibFlag].compactMap { $0 } }
        + LaboratoriumUitslag.ResultaatStatus.allCases.map(\.zibCode) + BodyPosition.allCases.map(\.code)
        + FunctioneleOfMentaleStatus.Category.allCases.map(\.code) + BehandelAanwijzing.Toegestaan.allCases.map(\.zibCode)
        + [Verrichting.surgicalCategory, DocumentCodes.patientNote, DocumentCodes.note, DocumentCodes.sharedFile]

    static func isFHIRVersionURI(_ system: String) -> Bool {
        system.hasPrefix("http://hl7.org/fhir/v") || system.hasPrefix("http://terminology.hl7.org/") || HL7Terminology.isVersionSpecific(system)
    }

    @Test("the codes zib values define use zib-level systems, never a FHIR-version URI", arguments: builtInCodes)
    func builtInCodesAreVersionFree(_ code: Code) {
        #expect(!Self.isFHIRVersionURI(code.system), "\(code.system)|\(code.code)")
    }

    @Test("what the mapping makes of a whole export carries no FHIR-version URI")
    func mappedCodesAreVersionFree() throws {
        let values = try ZibFixture.rendered().mapping.values
        let contacts = values.compactMap { $0 as? Contactpersoon } + values.compactMap { ($0 as? Patient)?.contacts }.flatMap { $0 }
        #expect(!contacts.isEmpty)
        for coded in contacts.flatMap({ $0.relationships + $0.roles }) {
            #expect(!Self.isFHIRVersionURI(coded.code.system), "\(coded.code.system)|\(coded.code.code)")
        }
    }

    @Test("the HL7 tables are written with the URI of each FHIR version", arguments: [
        (ZibCodeSystem.administrativeGender, "http://hl7.org/fhir/v3/AdministrativeGender", "http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender"),
        (ZibCodeSystem.nullFlavor, "http://hl7.org/fhir/v3/NullFlavor", "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"),
        (ZibCodeSystem.roleCode, "http://hl7.org/fhir/v3/RoleCode", "http://terminology.hl7.org/CodeSystem/v3-RoleCode"),
        (ZibCodeSystem.interpretationFlags, "http://hl7.org/fhir/v2/0078", "http://terminology.hl7.org/CodeSystem/v2-0078"),
        (ZibCodeSystem.snomed, ZibCodeSystem.snomed, ZibCodeSystem.snomed),
        (ZibCodeSystem.resultStatus, ZibCodeSystem.resultStatus, ZibCodeSystem.resultStatus),
    ])
    func translation(_ zib: String, _ stu3: String, _ r4: String) {
        #expect(HL7Terminology.stu3System(for: zib) == stu3)
        #expect(HL7Terminology.r4System(for: zib) == r4)
        // An export or a value written with either version's URI still comes out right.
        #expect(HL7Terminology.stu3System(for: r4) == stu3)
        #expect(HL7Terminology.r4System(for: stu3) == r4)
    }

    @Test("the STU3 renderer renders zib-level codes with their STU3 URIs")
    func stu3Output() throws {
        let patient = try #require(try ZibFixture.rendered().resource("Patient", "pzc-berg-patient"))
        #expect(patient["_gender"]?.codeSpecification == "http://hl7.org/fhir/v3/AdministrativeGender|M")
        #expect(STU3.coding(Geslacht.female.zibCode)["system"] == "http://hl7.org/fhir/v3/AdministrativeGender")
    }

    @Test("STU3Renderer is a ZibRenderer that declares FHIR STU3 and renders like its static entry point")
    func stu3RendererConforms() throws {
        let export = try PZCExport.decode(from: Data(ZibFixture.json.utf8))
        let renderer: any ZibRenderer = STU3Renderer()
        #expect(renderer.fhirVersion == .stu3)
        let viaProtocol = renderer.render(PZCMapper.map(export), export: export)
        let direct = STU3Renderer.render(PZCMapper.map(export), context: STU3RenderContext(export: export))
        #expect(viaProtocol.resources == direct.resources)
        #expect(viaProtocol.unmapped == direct.unmapped)
    }

    @Test("a value a renderer cannot render is reported with the renderer's FHIR version, not dropped")
    func unrenderableValue() throws {
        let export = try PZCExport.decode(from: Data(ZibFixture.json.utf8))
        let output = RenderOutput.collect(PZCMapper.map(export), version: .r4) { value in
            value is Patient ? RenderedValue(resources: []) : nil
        }
        #expect(output.resources.isEmpty)
        #expect(output.unmapped.contains { $0.reason == "no FHIR 4.0.1 rendering for zib Probleem" })
    }
}
