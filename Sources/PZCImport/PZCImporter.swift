import FHIR
import Foundation
import Store
import Zib

/// Imports PZC exports: maps every entry to zibs, renders them as FHIR STU3, validates each resource
/// against the project's profiles, and stores what is valid as new versions.
///
/// Idempotent: importing the same export again writes nothing new; a changed entry becomes a new
/// version of the same resource; an entry that disappeared from the export is reported, not deleted.
///
/// ```swift
/// let importer = PZCImporter(database: database, validator: try ProfileValidator.loadProjectProfiles(from: "Profiles"))
/// let summary = try await importer.importExport(export, receivedBytes: bytes)
/// print(summary.created, summary.unmapped.count)
/// ```
public struct PZCImporter: Sendable {
    public let database: GatewayDatabase
    public let validator: ProfileValidator
    /// Resources stored per transaction; progress is reported after each batch.
    public var batchSize = 500

    public init(database: GatewayDatabase, validator: ProfileValidator) {
        self.database = database
        self.validator = validator
    }

    /// Called after each stored batch with (resources done, resources in total).
    public typealias Progress = @Sendable (Int, Int) -> Void

    public func importExport(_ export: PZCExport, receivedBytes: [UInt8]? = nil, at date: Date = Date(), progress: Progress? = nil)
        async throws -> ImportSummary
    {
        let mapping = PZCMapper.map(export)
        let context = STU3RenderContext(export: export)
        let output = STU3Renderer.render(mapping, context: context)
        var summary = ImportSummary(pzcID: export.pzc.id, patientResourceID: context.ids.patientID)
        summary.unmapped = output.unmapped.map(ImportSummary.Problem.init)

        var accepted = [FHIRResource]()
        for rendered in output.resources {
            var resource = rendered
            if let bsn = export.patient.bsn {
                let (scrubbed, changed) = FreeTextBSN.scrub(rendered, bsn: bsn)
                if changed {
                    resource = scrubbed
                    summary.unmapped.append(
                        ImportSummary.Problem(
                            entryID: output.origins["\(rendered.resourceType)/\(rendered.id ?? "")"] ?? "",
                            section: rendered.resourceType, reason: "the patient's BSN was written in free text; blanked"))
                }
            }
            let errors = validator.validate(resource).filter { $0.severity == .error }
            if errors.isEmpty {
                accepted.append(resource)
            } else {
                summary.invalid.append(
                    ImportSummary.InvalidResource(
                        reference: "\(resource.resourceType)/\(resource.id ?? "")", issues: errors.map(\.description)))
            }
        }

        let repository = ResourceRepository(database: database)
        var done = 0
        for start in stride(from: 0, to: accepted.count, by: Swift.max(batchSize, 1)) {
            let batch = accepted[start..<Swift.min(start + batchSize, accepted.count)].map { resource in
                IncomingResource(resource: resource, receivedFormat: .json, receivedBytes: FHIRJSON.serialize(resource))
            }
            for result in try await repository.store(batch, at: date, skipUnchanged: true) {
                switch result {
                case .created: summary.created += 1
                case .updated: summary.updated += 1
                case .unchanged: summary.unchanged += 1
                }
            }
            done += batch.count
            progress?(done, accepted.count)
        }

        let links = accepted.map { resource in
            let reference = "\(resource.resourceType)/\(resource.id ?? "")"
            return PZCResourceLink(type: resource.resourceType, id: resource.id ?? "", entryID: output.origins[reference] ?? "")
        }
        let record = PZCRecord(
            pzcID: export.pzc.id, title: export.pzc.title, patientResourceID: context.ids.patientID,
            patientName: context.patientDisplay, bsn: export.patient.bsn, importedAt: Instant.format(date),
            entryCounts: Self.entryCounts(export))
        summary.removed = try await PZCRecords(database: database).record(record, resources: links).map(\.reference)
        return summary
    }

    /// Entries per export section, as `pzc list` shows them.
    static func entryCounts(_ export: PZCExport) -> [String: Int] {
        let dossier = export.dossier
        let counts: [String: Int] = [
            "members": export.members.count, "diary": export.diary.count, "consultations": export.consultations.count,
            "files": export.files.count, "forms": export.forms.count, "filledForms": export.filledForms.count,
            "measurements": export.measurements.count, "dossier.pages": dossier.pages.count,
            "dossier.problems": dossier.problems.count, "dossier.allergies": dossier.allergies.count,
            "dossier.medicationUse": dossier.medicationUse.count, "dossier.vaccinations": dossier.vaccinations.count,
            "dossier.alerts": dossier.alerts.count, "dossier.advanceDirectives": dossier.advanceDirectives.count,
            "dossier.treatmentDirectives": dossier.treatmentDirectives.count,
            "dossier.livingSituation": dossier.livingSituation.count, "dossier.tobaccoUse": dossier.tobaccoUse.count,
            "dossier.alcoholUse": dossier.alcoholUse.count, "dossier.drugUse": dossier.drugUse.count,
            "dossier.functionalStatus": dossier.functionalStatus.count, "dossier.medicalDevices": dossier.medicalDevices.count,
            "dossier.encounters": dossier.encounters.count, "dossier.procedures": dossier.procedures.count,
            "dossier.labResults": dossier.labResults.count, "dossier.nutritionAdvice": dossier.nutritionAdvice.count,
        ]
        return counts.filter { $0.value > 0 }
    }
}

/// What one import did.
public struct ImportSummary: Sendable, Codable {
    public struct Problem: Sendable, Codable, Hashable {
        public var entryID: String
        public var section: String
        public var reason: String

        init(_ entry: UnmappedEntry) {
            self.init(entryID: entry.entryID, section: entry.section, reason: entry.reason)
        }

        init(entryID: String, section: String, reason: String) {
            self.entryID = entryID
            self.section = section
            self.reason = reason
        }
    }

    public struct InvalidResource: Sendable, Codable, Hashable {
        public var reference: String
        public var issues: [String]
    }

    public var pzcID: String
    public var patientResourceID: String
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    /// Entries (or parts of entries) that could not be mapped, with the reason.
    public var unmapped: [Problem] = []
    /// Mapped resources refused because they broke their profile; not stored.
    public var invalid: [InvalidResource] = []
    /// Resources an earlier import produced that this export no longer does; kept, not deleted.
    public var removed: [String] = []

    public init(pzcID: String, patientResourceID: String) {
        self.pzcID = pzcID
        self.patientResourceID = patientResourceID
    }
}
