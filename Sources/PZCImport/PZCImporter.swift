import FHIR
import Foundation
import Store
import Zib

/// Imports PZC exports: maps every entry to zibs, renders them with a ``ZibRenderer`` (FHIR STU3 by
/// default), validates each resource against the project's profiles, and stores what is valid as new
/// versions.
///
/// Idempotent: importing the same export again writes nothing new; a changed entry becomes a new
/// version of the same resource; an entry that disappeared from the export is reported with its entry
/// id, not deleted.
///
/// ```swift
/// let importer = PZCImporter(database: database, validator: try ProfileValidator.loadProjectProfiles(from: "Profiles"))
/// let summary = try await importer.importExport(export)
/// print(summary.created, summary.unmapped.count, summary.removed.map(\.entryID))
/// ```
public struct PZCImporter: Sendable {
    public let database: GatewayDatabase
    /// Checks every rendered resource; it must know the profiles of the renderer's FHIR version.
    public let validator: ProfileValidator
    /// Turns the zib values into FHIR resources of one FHIR version.
    public let renderer: any ZibRenderer
    /// Resources stored per transaction; progress is reported after each batch.
    public var batchSize = 500

    public init(database: GatewayDatabase, validator: ProfileValidator, renderer: any ZibRenderer = STU3Renderer()) {
        self.database = database
        self.validator = validator
        self.renderer = renderer
    }

    /// Called with (resources done, resources in total) while resources are validated and stored.
    public typealias Progress = @Sendable (Int, Int) -> Void

    public func importExport(_ export: PZCExport, at date: Date = Date(), progress: Progress? = nil) async throws -> ImportSummary {
        try await store(Self.prepare(export, renderer: renderer, validator: validator, progress: progress), of: export, at: date, progress: progress)
    }

    /// Stores what ``prepare(_:renderer:validator:progress:)`` made of `export`, in one transaction.
    func store(_ prepared: Prepared, of export: PZCExport, at date: Date, progress: Progress?) async throws -> ImportSummary {
        var summary = prepared.summary
        let accepted = prepared.accepted
        let refused = prepared.refused
        let origins = prepared.origins
        let steps = prepared.resources * 2

        // One transaction for the whole import: its resources, their links and the PZC's registration
        // commit together or not at all, so an import cut off by a crash leaves nothing behind (and a
        // rerun starts clean) instead of a patient's data under a PZC nobody can find.
        let repository = ResourceRepository(database: database)
        let pzc = PZCRecord(
            pzcID: export.pzc.id, title: export.pzc.title, patientResourceID: summary.patientResourceID,
            patientName: PersonNameFormatter.display(export.patient.name), bsn: export.patient.bsn, importedAt: Instant.format(date),
            entryCounts: Self.entryCounts(export))
        let batchSize = Swift.max(self.batchSize, 1)
        let (counts, removed) = try await database.pool.write { db in
            var counts = (created: 0, updated: 0, unchanged: 0)
            var done = 0
            for start in stride(from: 0, to: accepted.count, by: batchSize) {
                let batch = accepted[start..<Swift.min(start + batchSize, accepted.count)].map(IncomingResource.produced)
                for result in try repository.store(batch, in: db, at: date, skipUnchanged: true) {
                    switch result {
                    case .created: counts.created += 1
                    case .updated: counts.updated += 1
                    case .unchanged: counts.unchanged += 1
                    }
                }
                done += batch.count
                progress?(prepared.resources + done * prepared.resources / Swift.max(accepted.count, 1), steps)
            }
            // What the export still renders stays linked, even when this version was refused: its entry
            // is still there, so it has not been removed. A refused resource that was never stored is
            // not linked, so it can never be reported as removed either.
            var current = accepted
            for resource in refused where try repository.current(type: resource.resourceType, id: resource.id ?? "", in: db) != nil {
                current.append(resource)
            }
            let links = current.map { PZCResourceLink(type: $0.resourceType, id: $0.id ?? "", entryID: origins[Self.reference($0)] ?? "") }
            return (counts, try PZCRecords.record(pzc, resources: links, in: db))
        }
        summary.created += counts.created
        summary.updated += counts.updated
        summary.unchanged += counts.unchanged
        summary.removed = removed.map(ImportSummary.Removed.init)
        progress?(steps, steps)
        return summary
    }

    /// What an import stores, before it touches the database: the export's resources, rendered, with
    /// the patient's BSN blanked from free text and each one validated.
    @_spi(Fuzzing) public struct Prepared: Sendable {
        /// Resources without validation errors, to be stored.
        public var accepted: [FHIRResource]
        /// Resources with validation errors (reported in ``summary``).
        public var refused: [FHIRResource]
        /// `Type/id` of each rendered resource to the export entry it came from.
        public var origins: [String: String]
        /// The summary so far: unmapped entries, blanked BSNs and invalid resources.
        public var summary: ImportSummary
        /// How many resources were rendered.
        public var resources: Int
    }

    /// Maps, renders, scrubs and validates an export: everything ``importExport(_:at:progress:)``
    /// does before storing. SPI for the fuzz target in `Fuzz/`, which feeds it decoded exports.
    @_spi(Fuzzing) public static func prepare(
        _ export: PZCExport, renderer: any ZibRenderer, validator: ProfileValidator, progress: Progress? = nil
    ) -> Prepared {
        let ids = ResourceIdentity(pzcID: export.pzc.id)
        let output = renderer.render(PZCMapper.map(export), export: export)
        var summary = ImportSummary(pzcID: export.pzc.id, patientResourceID: ids.patientID, fhirVersion: renderer.fhirVersion)
        summary.unmapped = output.unmapped.map(ImportSummary.Problem.init)
        let origin = { (resource: FHIRResource) in output.origins[Self.reference(resource)] ?? "" }

        // Validation is the slow part; the second half of the progress is storing.
        let steps = output.resources.count * 2
        var accepted = [FHIRResource]()
        var refused = [FHIRResource]()
        for (index, rendered) in output.resources.enumerated() {
            var resource = rendered
            if let bsn = export.patient.bsn {
                let (scrubbed, changed) = FreeTextBSN.scrub(rendered, bsn: bsn)
                if changed {
                    resource = scrubbed
                    summary.unmapped.append(
                        ImportSummary.Problem(
                            entryID: origin(rendered), section: rendered.resourceType,
                            reason: "the patient's BSN was written in free text; blanked"))
                }
            }
            let errors = validator.validate(resource).filter { $0.severity == .error }
            if errors.isEmpty {
                accepted.append(resource)
            } else {
                refused.append(resource)
                summary.invalid.append(
                    ImportSummary.InvalidResource(entryID: origin(resource), reference: Self.reference(resource), issues: errors.map(\.description)))
            }
            progress?(index + 1, steps)
        }
        return Prepared(accepted: accepted, refused: refused, origins: output.origins, summary: summary, resources: output.resources.count)
    }

    static func reference(_ resource: FHIRResource) -> String {
        "\(resource.resourceType)/\(resource.id ?? "")"
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
    public struct Problem: Sendable, Codable, Hashable, CustomStringConvertible {
        public var entryID: String
        public var section: String
        public var reason: String

        public var description: String { "entry '\(entryID)' (\(section)): \(reason)" }

        init(_ entry: UnmappedEntry) {
            self.init(entryID: entry.entryID, section: entry.section, reason: entry.reason)
        }

        init(entryID: String, section: String, reason: String) {
            self.entryID = entryID
            self.section = section
            self.reason = reason
        }
    }

    public struct InvalidResource: Sendable, Codable, Hashable, CustomStringConvertible {
        /// The export entry the resource was made from.
        public var entryID: String
        /// `Type/id`.
        public var reference: String
        public var issues: [String]

        /// The entry, the resource and its first issue; the report file has them all.
        public var description: String {
            "entry '\(entryID)' (\(reference)): " + (issues.first ?? "refused")
                + (issues.count > 1 ? " (and \(issues.count - 1) more)" : "")
        }
    }

    /// A resource an earlier import stored that the export no longer renders, with the entry it came from.
    public struct Removed: Sendable, Codable, Hashable, CustomStringConvertible {
        /// The export entry the resource was made from (for a shared organisation, the first member that had it).
        public var entryID: String
        /// `Type/id`.
        public var reference: String

        public init(entryID: String, reference: String) {
            self.entryID = entryID
            self.reference = reference
        }

        init(_ link: PZCResourceLink) {
            self.init(entryID: link.entryID, reference: link.reference)
        }

        public var description: String { "entry '\(entryID)' (\(reference))" }
    }

    public var pzcID: String
    public var patientResourceID: String
    /// The FHIR version the resources were rendered and stored in.
    public var fhirVersion: FHIRVersion
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    /// Entries (or parts of entries) that could not be mapped, with the reason.
    public var unmapped: [Problem] = []
    /// Mapped resources refused because they broke their profile; not stored.
    public var invalid: [InvalidResource] = []
    /// Resources an earlier import stored that this export no longer renders; kept, not deleted.
    public var removed: [Removed] = []

    public init(pzcID: String, patientResourceID: String, fhirVersion: FHIRVersion = .stu3) {
        self.pzcID = pzcID
        self.patientResourceID = patientResourceID
        self.fhirVersion = fhirVersion
    }
}
