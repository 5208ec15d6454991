import FHIR
import Foundation
import Store
import Testing
import Zib

@testable import PZCImport

/// A renderer that renders like STU3 but breaks chosen resources (drops their required `status`), so
/// the validator refuses them: a resource the export still renders, yet the import does not store.
struct RefusingRenderer: ZibRenderer {
    var refuse: Set<String>
    var fhirVersion: FHIRVersion = .stu3

    func render(_ mapping: MappingResult, export: PZCExport) -> RenderOutput {
        var output = STU3Renderer().render(mapping, export: export)
        output.resources = output.resources.map { resource in
            guard refuse.contains(resource.id ?? "") else { return resource }
            var broken = resource
            broken["status"] = nil
            return broken
        }
        return output
    }
}

@Suite("What an import reports as gone from the export")
struct RemovalReportingTests {
    static func importer(_ database: GatewayDatabase, refusing ids: Set<String> = [], version: FHIRVersion = .stu3) throws -> PZCImporter {
        let validator = try ProfileValidator.loadProjectProfiles(from: PZCImporterTests.packageRoot.appendingPathComponent("Profiles").path)
        return PZCImporter(database: database, validator: validator, renderer: RefusingRenderer(refuse: ids, fhirVersion: version))
    }

    @Test("an entry whose resource is now refused is reported as refused with its entry id, not as removed")
    func refusedIsNotRemoved() async throws {
        let (plain, database) = try PZCImporterTests.makeImporter()
        var export = try PZCImporterTests.export("diabetes.json")
        let entry = try #require(export.measurements.first)
        let id = ResourceIdentity(pzcID: export.pzc.id).id(for: entry.id)
        _ = try await plain.importExport(export)

        let refusing = try Self.importer(database, refusing: [id])
        let summary = try await refusing.importExport(export)
        #expect(summary.invalid.map(\.entryID) == [entry.id])
        #expect(summary.invalid.map(\.reference) == ["Observation/\(id)"])
        #expect(summary.removed.isEmpty)
        let repository = ResourceRepository(database: database)
        #expect(try await repository.read(type: "Observation", id: id, scope: .everything)?.version == 1)

        // Once the entry really leaves the export, its stored resource is reported gone, by entry.
        export.measurements.removeFirst()
        let after = try await refusing.importExport(export)
        #expect(after.removed == [ImportSummary.Removed(entryID: entry.id, reference: "Observation/\(id)")])
        #expect(after.removed.first?.description == "entry '\(entry.id)' (Observation/\(id))")
    }

    @Test("a resource that was refused and never stored is not reported as removed when its entry goes")
    func neverStoredIsNotRemoved() async throws {
        let (_, database) = try PZCImporterTests.makeImporter()
        var export = try PZCImporterTests.export("diabetes.json")
        let entry = try #require(export.measurements.first)
        let id = ResourceIdentity(pzcID: export.pzc.id).id(for: entry.id)
        let refusing = try Self.importer(database, refusing: [id])
        let first = try await refusing.importExport(export)
        #expect(first.invalid.map(\.entryID) == [entry.id])
        export.measurements.removeFirst()
        let second = try await refusing.importExport(export)
        #expect(second.removed.isEmpty)
    }

    @Test("every resource of a removed entry is reported with that entry: a lab result and its specimen")
    func removedEntryWithSeveralResources() async throws {
        let (importer, _) = try PZCImporterTests.makeImporter()
        var export = try PZCImporterTests.export("diabetes.json")
        _ = try await importer.importExport(export)
        let lab = export.dossier.labResults.removeLast()
        let ids = ResourceIdentity(pzcID: export.pzc.id)
        let summary = try await importer.importExport(export)
        #expect(Set(summary.removed) == [
            ImportSummary.Removed(entryID: lab.id, reference: "Observation/\(ids.id(for: lab.id))"),
            ImportSummary.Removed(entryID: lab.id, reference: "Specimen/\(ids.id(for: lab.id, role: "specimen"))"),
        ])
    }

    @Test("the importer renders with the renderer it is given and records that renderer's FHIR version")
    func rendererIsInjected() async throws {
        let (_, database) = try PZCImporterTests.makeImporter()
        let export = try PZCImporterTests.export("fertiliteit.json")
        let id = ResourceIdentity(pzcID: export.pzc.id).id(for: try #require(export.measurements.first).id)
        let importer = try Self.importer(database, refusing: [id], version: .r4)
        #expect(importer.renderer.fhirVersion == .r4)
        let summary = try await importer.importExport(export)
        #expect(summary.fhirVersion == .r4)
        // The refusal proves the importer used this renderer's output rather than its own STU3 rendering.
        #expect(summary.invalid.map(\.reference) == ["Observation/\(id)"])
    }
}
