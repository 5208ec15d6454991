import FHIR
import Foundation
import Store
import Testing
import Zib

@testable import PZCImport

@Suite("PZC import")
struct PZCImporterTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Fixtures/pzc")

    static func makeImporter() throws -> (PZCImporter, GatewayDatabase) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-import-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let database = try GatewayDatabase(path: directory + "/gateway.sqlite")
        let validator = try ProfileValidator.loadProjectProfiles(from: packageRoot.appendingPathComponent("Profiles").path)
        return (PZCImporter(database: database, validator: validator), database)
    }

    static func export(_ name: String) throws -> PZCExport {
        try PZCExport.decode(from: Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    @Test("importing an export stores its resources; importing it again writes nothing new")
    func idempotent() async throws {
        let (importer, _) = try Self.makeImporter()
        let export = try Self.export("diabetes.json")
        let first = try await importer.importExport(export)
        #expect(first.created > 20)
        #expect(first.invalid.isEmpty, "\(first.invalid.prefix(5))")
        let second = try await importer.importExport(export)
        #expect(second.created == 0)
        #expect(second.updated == 0)
        #expect(second.unchanged == first.created)
        #expect(second.removed.isEmpty)
    }

    @Test("a mapped resource claiming a profile the validator does not know is refused as unknown, reported, and not stored")
    func unknownProfileIsRefused() async throws {
        let (_, database) = try Self.makeImporter()
        let bodyWeight = "http://nictiz.nl/fhir/StructureDefinition/zib-BodyWeight"
        let project = try ProfileValidator.loadProjectProfiles(from: Self.packageRoot.appendingPathComponent("Profiles").path)
        let withoutBodyWeight = ProfileValidator(profiles: project.definitions.filter { $0.url != bodyWeight })
        #expect(project.supports(profile: bodyWeight))
        #expect(!withoutBodyWeight.supports(profile: bodyWeight))

        let export = try Self.export("diabetes.json")
        let summary = try await PZCImporter(database: database, validator: withoutBodyWeight).importExport(export)
        let weights = export.measurements.filter { $0.kind == "bodyWeight" }
        #expect(!weights.isEmpty)
        #expect(Set(summary.invalid.map(\.entryID)) == Set(weights.map(\.id)))
        for invalid in summary.invalid {
            #expect(invalid.issues.contains { $0.contains("unknown profile \(bodyWeight)") }, "\(invalid.issues)")
        }
        #expect(summary.created > 20)

        let repository = ResourceRepository(database: database)
        let ids = ResourceIdentity(pzcID: export.pzc.id)
        for weight in weights {
            #expect(try await repository.read(type: "Observation", id: ids.id(for: weight.id), scope: .everything) == nil)
        }
    }

    @Test("the default importer renders FHIR STU3 and says so in its summary")
    func defaultRenderer() async throws {
        let (importer, _) = try Self.makeImporter()
        #expect(importer.renderer.fhirVersion == .stu3)
        let summary = try await importer.importExport(try Self.export("fertiliteit.json"))
        #expect(summary.fhirVersion == .stu3)
        #expect(summary.invalid.isEmpty, "\(summary.invalid.prefix(3))")
    }

    @Test("what the STU3 renderer leaves out reaches the import summary with its entry: the payer's period, an active problem's resolved date")
    func rendererReportsReachSummary() async throws {
        let (importer, _) = try Self.makeImporter()
        var export = try Self.export("parkinson.json")
        let index = try #require(export.dossier.problems.firstIndex { $0.status == "active" })
        let problemID = export.dossier.problems[index].id
        export.dossier.problems[index].resolved = "2026-01-01"
        let summary = try await importer.importExport(export)
        #expect(summary.unmapped == [
            ImportSummary.Problem(
                entryID: "payer", section: "patient.payer",
                reason: "policy start without end: zib-Payer requires period.end; period left out"),
            ImportSummary.Problem(
                entryID: problemID, section: "dossier.problems",
                reason: "resolved date 2026-01-01 on an active problem: STU3 allows an abatement only when the problem is no longer active (con-4); left out"),
        ])
        #expect(summary.invalid.isEmpty, "\(summary.invalid.prefix(3))")
    }

    @Test("a changed entry becomes a new version of the same resource; a removed one is reported and kept")
    func changesAndRemovals() async throws {
        let (importer, database) = try Self.makeImporter()
        var export = try Self.export("diabetes.json")
        _ = try await importer.importExport(export)
        let problem = try #require(export.dossier.problems.first)
        let removedMeasurement = try #require(export.measurements.last)
        export.dossier.problems[0].text = (problem.text ?? "") + " (bijgewerkt)"
        export.measurements.removeLast()
        let summary = try await importer.importExport(export)
        #expect(summary.updated == 1, "only the changed problem's Condition is a new version")
        #expect(summary.created == 0)
        let removedID = ResourceIdentity(pzcID: export.pzc.id).id(for: removedMeasurement.id)
        #expect(summary.removed == [ImportSummary.Removed(entryID: removedMeasurement.id, reference: "Observation/\(removedID)")])
        let repository = ResourceRepository(database: database)
        #expect(try await repository.read(type: "Observation", id: removedID, scope: .everything) != nil)
        let conditionID = ResourceIdentity(pzcID: export.pzc.id).id(for: problem.id)
        #expect(try await repository.read(type: "Condition", id: conditionID, scope: .everything)?.version == 2)
    }

    @Test("the PZC is recorded with its patient, BSN and entry counts")
    func recorded() async throws {
        let (importer, database) = try Self.makeImporter()
        let export = try Self.export("parkinson.json")
        _ = try await importer.importExport(export)
        let records = try await PZCRecords(database: database).all()
        #expect(records.count == 1)
        #expect(records.first?.patientResourceID == ResourceIdentity(pzcID: export.pzc.id).patientID)
        #expect(records.first?.bsn == export.patient.bsn)
        #expect(records.first?.entryCounts["measurements"] == export.measurements.count)
    }

    @Test("a BSN typed into free text is blanked before storing and reported; the BSN identifier stays")
    func bsnInFreeText() async throws {
        let (importer, database) = try Self.makeImporter()
        var export = try Self.export("diabetes.json")
        let bsn = try #require(export.patient.bsn)
        export.diary[0].text += " Mijn BSN is \(bsn)."
        let summary = try await importer.importExport(export)
        #expect(summary.unmapped.contains { $0.reason.contains("BSN") })
        let ids = ResourceIdentity(pzcID: export.pzc.id)
        let repository = ResourceRepository(database: database)
        let diary = try #require(try await repository.read(type: "DocumentReference", id: ids.id(for: export.diary[0].id), scope: .everything))
        #expect(!String(decoding: diary.contentJSON, as: UTF8.self).contains(bsn))
        let binary = try #require(try await repository.read(
            type: "Binary", id: ids.id(for: export.diary[0].id, role: "binary"), scope: .everything))
        let content = try #require(try binary.resource()["content"]?.stringValue)
        let text = String(decoding: try #require(Data(base64Encoded: content)), as: UTF8.self)
        #expect(!text.contains(bsn))
        #expect(text.contains("Mijn BSN is *********."))
        let patient = try #require(try await repository.read(type: "Patient", id: ids.patientID, scope: .everything))
        #expect(String(decoding: patient.contentJSON, as: UTF8.self).contains(bsn))
    }
}
