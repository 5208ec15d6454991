import Consent
import Foundation

/// Sets what one member may read: afterwards exactly one read consent of the patient names the member
/// with exactly `categories` (none when the list is empty).
///
/// - a consent that lets the member only read is changed (a new version with the new categories), or
///   revoked when nothing is chosen; further such consents are revoked, so two never add up;
/// - a consent that lets the member read and do more keeps the rest: its new version no longer
///   permits reading, and the read permission moves to the consent above.
struct MemberConsentChange: Sendable {
    let consents: PortalConsents

    /// The consent versions recorded, for the audit event.
    func apply(memberID: String, categories: [DataCategory], patientID: String, now: Date) async throws -> [ConsentReference] {
        let actor = ConsentActor.member(memberID)
        let current = try await consents.current(patientID: patientID, now: now)
            .filter { $0.actor == actor && $0.actions.contains(.read) }
        let readOnly = current.filter { $0.actions == [.read] }
        let mixed = current.filter { $0.actions != [.read] }
        let root = Provision(.permit, actors: [actor], actions: [.read], categories: categories)
        var recorded: [ConsentReference] = []

        for consent in mixed {
            let others = ConsentAction.allCases.filter { $0 != .read && consent.actions.contains($0) }
            let old = consent.record.root
            let withoutRead = Provision(
                old.type, actors: old.actors, actions: others, categories: old.categories, dataPeriod: old.dataPeriod,
                validityPeriod: old.validityPeriod, provisions: old.provisions)
            recorded.append(try await consents.change(consent.record, root: withoutRead, at: now).reference)
        }
        var remaining = readOnly[...]
        if !categories.isEmpty {
            if let first = remaining.popFirst() {
                if first.record.root != root {
                    recorded.append(try await consents.change(first.record, root: root, at: now).reference)
                }
            } else {
                let consent = ConsentRecord(
                    id: PortalConsents.newID("member"), patientID: patientID, recordedAt: now, validity: ConsentPeriod(start: now), root: root)
                try await consents.record(consent)
                recorded.append(consent.reference)
            }
        }
        for consent in remaining {
            recorded.append(try await consents.revoke(consent.record, at: now).reference)
        }
        return recorded
    }
}
