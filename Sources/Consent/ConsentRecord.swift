import FHIR
import Foundation

/// One version of a patient's access consent: who may do what with which part of the record, and when.
///
/// Records are never changed in place. A change, including a revocation, is a new version with the same
/// `id` and a higher `version`; the decision point only ever looks at the highest version of each id, so
/// the history stays available for audit while a revocation takes effect on the very next request.
///
/// ```swift
/// let consent = ConsentRecord(
///     id: "c1", patientID: "p1", recordedAt: now, validity: ConsentPeriod(start: now),
///     root: Provision(.permit, actors: [.pgoApp("app-1")], actions: [.read], categories: [.medication]))
/// let revoked = consent.revoked(at: later)   // version 2, status .inactive; `consent` is untouched
/// ```
public struct ConsentRecord: Sendable, Hashable, Identifiable, Codable {
    /// Stable across versions; what audit events name.
    public let id: String
    /// Starts at 1 and grows by one per change.
    public let version: Int
    public let patientID: String
    public let status: ConsentStatus
    /// When this version was recorded (FHIR `Consent.dateTime`).
    public let recordedAt: Date
    /// When the consent as a whole is in force (FHIR `Consent.period`).
    public let validity: ConsentPeriod
    /// The rule tree; its root sets the base decision, nested provisions are exceptions to it.
    public let root: Provision

    public init(
        id: String, version: Int = 1, patientID: String, status: ConsentStatus = .active, recordedAt: Date,
        validity: ConsentPeriod, root: Provision
    ) {
        self.id = id
        self.version = version
        self.patientID = patientID
        self.status = status
        self.recordedAt = recordedAt
        self.validity = validity
        self.root = root
    }

    /// Whether this version takes part in decisions at `date`: active and within its validity.
    public func isInForce(at date: Date) -> Bool {
        status == .active && validity.contains(date)
    }

    /// A new version, recorded at `date`, with status `inactive`. The receiver is not changed: the old
    /// version stays in the history exactly as it was.
    ///
    /// ```swift
    /// let v2 = consent.revoked(at: now)
    /// (v2.version, v2.status)   // (consent.version + 1, .inactive)
    /// ```
    public func revoked(at date: Date) -> ConsentRecord {
        superseded(at: date, status: .inactive, root: root)
    }

    /// A new version with a changed rule tree or status, recorded at `date`.
    ///
    /// ```swift
    /// let widened = consent.superseded(at: now, root: Provision(.permit, categories: [.everything]))
    /// ```
    public func superseded(
        at date: Date, status: ConsentStatus? = nil, validity: ConsentPeriod? = nil, root: Provision? = nil
    ) -> ConsentRecord {
        ConsentRecord(
            id: id, version: version + 1, patientID: patientID, status: status ?? self.status, recordedAt: date,
            validity: validity ?? self.validity, root: root ?? self.root)
    }

    /// The id and version together, as an audit event records them.
    public var reference: ConsentReference { ConsentReference(id: id, version: version) }
}

/// A consent version as named in a decision: `c1` version 2 is `c1/_history/2` in FHIR terms.
public struct ConsentReference: Sendable, Hashable, CustomStringConvertible {
    public let id: String
    public let version: Int

    public init(id: String, version: Int) {
        self.id = id
        self.version = version
    }

    public var description: String { "\(id)/_history/\(version)" }
}

/// FHIR `Consent.status` (STU3 and R4 share these codes).
///
/// ```swift
/// ConsentStatus(rawValue: "entered-in-error")   // .enteredInError
/// ```
public enum ConsentStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case draft
    case proposed
    case active
    case rejected
    case inactive
    case enteredInError = "entered-in-error"
}

/// A half-open span of time `[start, end)`; a missing end is open, a missing start is "since always".
///
/// Used for a consent's validity, a provision's validity and a provision's data period.
///
/// ```swift
/// let year2020 = ConsentPeriod(start: jan1st2020, end: jan1st2021)
/// year2020.contains(jan1st2021)   // false: the end is excluded
/// ```
public struct ConsentPeriod: Sendable, Hashable, Codable {
    public let start: Date?
    public let end: Date?

    public init(start: Date? = nil, end: Date? = nil) {
        self.start = start
        self.end = end
    }

    public func contains(_ date: Date) -> Bool {
        if let start, date < start { return false }
        if let end, date >= end { return false }
        return true
    }

    /// The same span as the search index's millisecond ranges, so resource dates of any FHIR
    /// precision (`2019`, `2019-03-01T10:00:00+01:00`) compare against it exactly.
    public var dateRange: DateRange {
        DateRange(
            lowerBound: start.map(ConsentPeriod.milliseconds) ?? .min,
            upperBound: end.map(ConsentPeriod.milliseconds) ?? .max)
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000).rounded(.down))
    }
}
