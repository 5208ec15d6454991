import Consent
import Foundation

/// A consent as the portal shows and changes it: a permit about exactly one party (one app, one
/// provider, one member).
///
/// Consents that name several parties, or a group (`anyPGOApp`), or that deny, are never listed or
/// changed here: revoking "the app's access" must not silently take something from someone else, or
/// undo a refusal. Every flow that records consents (the OAuth consent screen, the portal, the demo
/// setup) records one party per consent.
struct PortalConsent: Sendable, Hashable {
    let record: ConsentRecord
    let actor: ConsentActor
    let actions: Set<ConsentAction>
    /// What the root permits; `[.everything]` when it names no category.
    let permitted: [DataCategory]
    /// Categories nested denies take out again.
    let excepted: [DataCategory]

    var since: Date { record.validity.start ?? record.recordedAt }
    var until: Date? { record.validity.end }

    /// Nil unless `record` is a permit about exactly one individual party.
    init?(_ record: ConsentRecord) {
        guard record.root.type == .permit else { return nil }
        let actors = Set(Self.actors(in: record.root))
        guard actors.count == 1, let actor = actors.first, actor.isIndividual else { return nil }
        self.record = record
        self.actor = actor
        actions = Set(record.root.actions.isEmpty ? ConsentAction.allCases : record.root.actions)
        let everything = record.root.categories.isEmpty || record.root.categories.contains(.everything)
        permitted = everything ? [.everything] : DataCategory.allCases.filter(record.root.categories.contains)
        let denied = Set(Self.denies(in: record.root).flatMap(\.categories))
        excepted = DataCategory.allCases.filter { denied.contains($0) && $0 != .everything }
    }

    private static func actors(in provision: Provision) -> [ConsentActor] {
        provision.actors + provision.provisions.flatMap(actors(in:))
    }

    private static func denies(in provision: Provision) -> [Provision] {
        provision.provisions.flatMap { ($0.type == .deny ? [$0] : []) + denies(in: $0) }
    }
}

/// Reads and changes a patient's consents for the portal. Every change is a new version
/// (``ConsentRecord/revoked(at:)``, ``ConsentRecord/superseded(at:status:validity:root:)``) recorded
/// through ``ConsentRepository``: the history stays, and the decision point counts the change on the
/// very next request.
struct PortalConsents: Sendable {
    let repository: ConsentRepository

    /// The patient's active single-party permits that have not ended at `now` (a consent that starts
    /// later is listed: the patient gave it and may want to take it back before it starts).
    func current(patientID: String, now: Date) async throws -> [PortalConsent] {
        try await repository.latestVersions(patientID: patientID)
            .filter { $0.status == .active && ($0.validity.end.map { now < $0 } ?? true) }
            .compactMap(PortalConsent.init)
    }

    /// Records `consent` as revoked (a new, inactive version) and returns that version.
    @discardableResult
    func revoke(_ consent: ConsentRecord, at now: Date) async throws -> ConsentRecord {
        let revoked = consent.revoked(at: now)
        try await repository.record(revoked)
        return revoked
    }

    /// Records a new consent (version 1).
    func record(_ consent: ConsentRecord) async throws {
        try await repository.record(consent)
    }

    /// Records a new version of `consent` with another rule tree.
    @discardableResult
    func change(_ consent: ConsentRecord, root: Provision, at now: Date) async throws -> ConsentRecord {
        let changed = consent.superseded(at: now, root: root)
        try await repository.record(changed)
        return changed
    }

    /// A fresh consent id in the FHIR id alphabet, prefixed with what it is for (`member-…`).
    static func newID(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.lowercased())"
    }
}
