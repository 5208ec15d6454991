import Audit
import Auth
import Consent
import Foundation
import Store

/// The demo patients' permissions for the demo hospital to push summaries into their records, so that
/// `serve --demo` shows both answers of the push intake: `Fixtures/push/discharge-summary-diabetes.json`
/// is accepted, `discharge-summary-not-permitted.json` refused with 403.
///
/// Each permission is what a patient gives on the portal's providers page (one provider, `push`,
/// everything, until revoked), recorded as a consent and written to the audit log. A consent in force
/// that names the hospital (a permit or a deny given in the portal) is left as it is; a revoked one is
/// no longer in force, so the next `serve --demo` grants the permission again, as a demo should.
extension GatewaySetup {
    /// The demo patients who permit the demo hospital to push; the others do not.
    public static let demoPushPatients = ["pzc-diab-patient", "pzc-park-patient"]

    /// Records the demo hospital's push permission for ``demoPushPatients`` (those imported), audited.
    /// Returns the consents recorded now (none on a restart).
    @discardableResult
    public func grantDemoPushConsents(database: GatewayDatabase, now: Date = Date()) async throws -> [ConsentRecord] {
        let actor = ConsentActor.provider(ura: DevPKI.hospitalDemoURA)
        let consents = ConsentRepository(database: database)
        let resources = ResourceRepository(database: database)
        let auditLog = try AuditLog(path: directory.auditDatabasePath)
        defer { try? auditLog.close() }
        var recorded: [ConsentRecord] = []
        for patient in Self.demoPushPatients where try await resources.patientExists(id: patient) {
            let inForce = try await consents.consentsInForce(patientID: patient, at: now)
            guard !inForce.contains(where: { Self.names(actor, $0.root) }) else { continue }
            let consent = ConsentRecord(
                id: "provider-\(UUID().uuidString.lowercased())", patientID: patient, recordedAt: now, validity: ConsentPeriod(start: now),
                root: Provision(.permit, actors: [actor], actions: [.push], categories: [.everything]))
            try await consents.record(consent)
            try await auditLog.append(
                AuditEvent(
                    recorded: Instant.format(now), channel: .cli, method: "CONSENT", path: "demo push consent", status: 0,
                    partyID: "hospital-demo", partyKind: Party.Kind.organization.rawValue, patientID: patient,
                    entities: ["Consent/\(consent.id)/_history/\(consent.version)"],
                    detail: "demo consent recorded: the demo hospital (URA \(DevPKI.hospitalDemoURA)) may push summaries until revoked"))
            recorded.append(consent)
        }
        return recorded
    }

    /// Whether a provision in the tree names `actor` (itself or its group).
    static func names(_ actor: ConsentActor, _ provision: Provision) -> Bool {
        provision.actors.contains { $0.matches(actor) } || provision.provisions.contains { names(actor, $0) }
    }
}
