import Audit
import Consent
import Foundation
import Store

/// One line of the patient's access log: when, and what happened in plain words.
struct AccessLogEntry: Sendable, Hashable {
    let when: Date
    let sentence: String
}

/// Turns audit events about a patient into sentences the patient can read: "Demo PGO app heeft op
/// 3 maart om 14:02 uw medicatie opgehaald, met uw toestemming van 1 maart".
///
/// It says who (the party's registered name), what (the data categories the request asked for,
/// ``AccessedData``), when (Dutch time) and on which basis (the date of the consent version the
/// decision named). It never repeats what an auditor sees but the patient need not: no tokens,
/// certificate fingerprints, addresses, resource ids or BSNs; only those four facts go in.
///
/// Pure: the names and consent dates are looked up beforehand (``load(patientID:limit:text:now:sources:)``),
/// so a page of a hundred events costs one query per distinct party and consent, not per event.
struct AccessLogNarrative: Sendable {
    let text: PortalText
    let dates: PortalDateFormat
    /// Display names by party id.
    let partyNames: [String: String]
    /// Display names of the patient's PZC members by member id, for their reads in the members' view.
    var memberNames: [String: String] = [:]
    /// When each consent version named in a decision was recorded.
    let consentDates: [ConsentVersion: Date]

    /// The sentence for one event, or nil when it is no access to data (no decision, unreadable time).
    func entry(_ event: AuditEvent) -> AccessLogEntry? {
        guard let decision = event.decision, let milliseconds = Instant.milliseconds(parsing: event.recorded) else { return nil }
        let when = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let isMember = event.partyKind == CareRoutes.memberPartyKind
        let party = event.partyID.flatMap { isMember ? memberNames[$0] : partyNames[$0] } ?? text.unknownParty
        let data = text.yourData(AccessedData(path: event.path))
        let writes = event.kind == .push || event.kind == .share || event.kind == .create
        // Data moved only when something was permitted and the response was a success.
        guard decision.permitted > 0, event.status < 400 else {
            let sentence =
                writes
                ? text.refusedToRecord(party, day: dates.day(when), time: dates.time(when))
                : text.refused(party, day: dates.day(when), time: dates.time(when), data: data)
            return AccessLogEntry(when: when, sentence: sentence)
        }
        var days: [String] = []
        for version in decision.consents {
            guard let recorded = consentDates[version] else { continue }
            let day = dates.day(recorded)
            if !days.contains(day) { days.append(day) }
        }
        let day = dates.day(when)
        let time = dates.time(when)
        let sentence =
            if isMember {
                text.viewed(party, day: day, time: time, consentDays: days, partly: decision.denied > 0)
            } else if event.kind == .push {
                text.sentSummary(party, day: day, time: time, consentDays: days)
            } else if writes {
                text.storedMeasurements(party, day: day, time: time, consentDays: days)
            } else {
                text.collected(party, day: day, time: time, data: data, consentDays: days, partly: decision.denied > 0)
            }
        return AccessLogEntry(when: when, sentence: sentence)
    }

    /// Where the narrative looks names and consent dates up.
    struct Sources: Sendable {
        let auditLog: AuditLog
        let directory: PortalDirectory
        let consents: ConsentRepository
    }

    /// The newest `limit` accesses to one patient's data that pass `filter`, as sentences, newest first.
    static func load(
        patientID: String, limit: Int, filter: AccessLogFilter = AccessLogFilter(), text: PortalText, now: Date, sources: Sources
    ) async throws -> [AccessLogEntry] {
        let records = try await sources.auditLog.decisionEvents(
            patientID: patientID, limit: limit, since: filter.from, until: filter.to, agent: filter.actor)
        var partyNames: [String: String] = [:]
        for partyID in Set(records.compactMap(\.event.partyID)) {
            partyNames[partyID] = try await sources.directory.partyName(partyID: partyID)
        }
        var consentDates: [ConsentVersion: Date] = [:]
        let versions = Set(records.flatMap { $0.event.decision?.consents ?? [] })
        for id in Set(versions.map(\.id)) {
            // Only this patient's consents: an event can only name those, and the check keeps it so.
            for record in try await sources.consents.history(id: id) where record.patientID == patientID {
                consentDates[ConsentVersion(id: record.id, version: record.version)] = record.recordedAt
            }
        }
        var memberNames: [String: String] = [:]
        if records.contains(where: { $0.event.partyKind == CareRoutes.memberPartyKind }) {
            for member in try await sources.directory.members(patientID: patientID) { memberNames[member.memberID] = member.displayName }
        }
        let narrative = AccessLogNarrative(
            text: text, dates: PortalDateFormat(language: text.language, now: now), partyNames: partyNames, memberNames: memberNames,
            consentDates: consentDates)
        return records.map(\.event).compactMap(narrative.entry)
    }
}

/// What the patient narrowed the access log to: a period (days, both ends included) and who.
struct AccessLogFilter: Sendable, Hashable {
    /// `YYYY-MM-DD`, or nil for no lower bound.
    var from: String?
    var to: String?
    /// A party id (app, organisation) or member id.
    var actor: String?

    init(from: String? = nil, to: String? = nil, actor: String? = nil) {
        self.from = from
        self.to = to
        self.actor = actor
    }

    /// The filter of a page request; a date that is not `YYYY-MM-DD` is dropped and reported.
    static func parse(from: String?, to: String?, actor: String?) -> (filter: AccessLogFilter, rejected: [String]) {
        var rejected: [String] = []
        func day(_ text: String?) -> String? {
            guard let text, !text.isEmpty else { return nil }
            let isDay = text.count == 10 && text.enumerated().allSatisfy { index, character in
                index == 4 || index == 7 ? character == "-" : character.isASCII && character.isNumber
            }
            if !isDay { rejected.append(text) }
            return isDay ? text : nil
        }
        return (AccessLogFilter(from: day(from), to: day(to), actor: actor.flatMap { $0.isEmpty ? nil : $0 }), rejected)
    }

    var isEmpty: Bool { from == nil && to == nil && actor == nil }
}
