import FHIR
import Foundation
import Testing

@testable import Zib

/// An export with one of everything the observation and document mappings handle, plus entries each
/// mapping must refuse. Tests splice sections in with ``ObservationFixture/export(_:)``.
enum ObservationFixture {
    static let header = """
        "format": "zorgnet-pzc/1",
        "pzc": {"id": "pzc-obs", "title": "Zorgnet Dekker", "createdAt": "2026-01-01T10:00:00+01:00"},
        "patient": {"name": {"family": "Dekker", "given": ["Jan"]}, "birthDate": "1950-02-01", "gender": "male"},
        "members": [
          {"id": "m-gp", "kind": "professional", "name": {"family": "Kuipers", "given": ["Eva"]}, "role": "huisarts",
           "organization": {"id": "org-linde", "name": "Huisartsenpraktijk De Linde"}},
          {"id": "m-daughter", "kind": "family", "name": {"family": "Dekker", "given": ["Anna"]}, "relationship": "child"}
        ]
        """

    /// An export with the header and the given top-level members (JSON text without surrounding braces).
    static func export(_ sections: String) throws -> PZCExport {
        try PZCExport.decode(from: Data("{\(header)\(sections.isEmpty ? "" : ",\n\(sections)")}".utf8))
    }

    /// Maps and renders the observation and document sections of an export the way the gateway does;
    /// the patient and members, which every export has, are left to their own tests.
    static func render(_ export: PZCExport) -> (MappingResult, STU3Renderer.Output) {
        var result = MappingResult()
        for section in PZCMapper.observationSections + PZCMapper.documentSections {
            result.append(contentsOf: section(export))
        }
        return (result, STU3Renderer.render(result, context: STU3RenderContext(export: export)))
    }

    static func resource(_ output: STU3Renderer.Output, id: String) -> FHIRResource? {
        output.resources.first { $0.id == id }
    }
}

extension FHIRValue {
    /// Follows a path of object keys and array indices, e.g. `["component", 0, "valueQuantity"]`.
    subscript(path path: [any PathStep]) -> FHIRValue? {
        var value: FHIRValue? = self
        for step in path { value = value.flatMap(step.step) }
        return value
    }
}

protocol PathStep { func step(_ value: FHIRValue) -> FHIRValue? }
extension String: PathStep { func step(_ value: FHIRValue) -> FHIRValue? { value[self] } }
extension Int: PathStep {
    func step(_ value: FHIRValue) -> FHIRValue? {
        guard let array = value.arrayValue, indices(array) else { return nil }
        return array[self]
    }
    private func indices(_ array: [FHIRValue]) -> Bool { self >= 0 && self < array.count }
}

extension FHIRResource {
    subscript(path path: any PathStep...) -> FHIRValue? { FHIRValue.object(content)[path: path] }
}

/// The qualification lint; it already exempts Binary from the meta.profile rule, as MedMij's asserts do.
func documentAwareQualityProblems(in resource: FHIRResource) -> [String] {
    QualificationLint.problems(in: resource)
}

/// JSON → resource → XML → resource; the result must equal what went in, member order included.
func roundTripsThroughXML(_ resource: FHIRResource) throws -> Bool {
    try roundTripThroughXML(resource).get() == resource
}
