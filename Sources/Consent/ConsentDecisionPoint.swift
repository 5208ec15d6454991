import FHIR
import Foundation

/// One access to decide on: who wants to do what with which piece of one patient's data.
///
/// ```swift
/// let request = AccessRequest(patientID: "p1", actor: .pgoApp("app-1"), action: .collect, resource: observation)
/// let practitioner = AccessRequest(patientID: "p1", actor: .pgoApp("app-1"), action: .collect,
///                                  resource: author, referencedBy: decisionForObservation)
/// ```
public struct AccessRequest: Sendable, Hashable {
    public let patientID: String
    /// The concrete requesting party (never one of the `any…` group cases).
    public let actor: ConsentActor
    public let action: ConsentAction
    /// The data categories of what is accessed.
    public let categories: Set<DataCategory>
    /// The clinical date of what is accessed, nil when it has none.
    public let dataDate: DateRange?
    /// The decision for the resource that led here in the same request (an `_include`d author, a
    /// resolved reference); lets supporting resources follow a permitted resource.
    public let referencedBy: Decision?

    public init(
        patientID: String, actor: ConsentActor, action: ConsentAction, categories: Set<DataCategory>,
        dataDate: DateRange? = nil, referencedBy: Decision? = nil
    ) {
        self.patientID = patientID
        self.actor = actor
        self.action = action
        self.categories = categories
        self.dataDate = dataDate
        self.referencedBy = referencedBy
    }

    /// A request for `resource`, its categories and clinical date read from the resource itself.
    public init(
        patientID: String, actor: ConsentActor, action: ConsentAction, resource: FHIRResource,
        referencedBy: Decision? = nil
    ) {
        self.init(
            patientID: patientID, actor: actor, action: action, categories: DataCategory.of(resource: resource),
            dataDate: ResourceDate.of(resource), referencedBy: referencedBy)
    }
}

/// The outcome of one decision: what the audit event records.
///
/// ```swift
/// decision.permit       // false
/// decision.consentIDs   // ["c2"]: the deny in consent c2 decided
/// decision.reason       // "deny by consent c2/_history/1 (specificity ...)"
/// ```
public struct Decision: Sendable, Hashable {
    public let permit: Bool
    /// The consent versions whose provisions decided; empty for the default deny.
    public let consents: [ConsentReference]
    /// Why, in words an auditor can follow.
    public let reason: String

    public init(permit: Bool, consents: [ConsentReference], reason: String) {
        self.permit = permit
        self.consents = consents
        self.reason = reason
    }

    /// The ids of the consents used, in order, without duplicates.
    public var consentIDs: [String] {
        var seen = Set<String>()
        return consents.map(\.id).filter { seen.insert($0).inserted }
    }
}

/// The policy decision point: deny by default; the most specific applicable provision decides; at equal
/// specificity deny beats permit.
///
/// It is pure: no I/O, no clock, no cache. The caller passes the consents as read for this request and
/// asks once per resource returned (matches, `_include`d resources, every page), so a revocation takes
/// effect on the next request.
///
/// **Which records count.** Those of the request's patient; of each id only the highest version (a
/// revocation is a newer version, and an older active one must not outlive it); of those only ones that
/// are `active` and valid at `at`.
///
/// **Which provisions apply.** A provision applies when every condition holds: an actor matches (or none
/// is given), the action is listed (or none is), a category overlaps the resource's (or none / `.everything`
/// is given), its validity period contains `at`, and the data date fits its `dataPeriod`. Nested
/// provisions are only looked at where their parent applies. From each applicable path the deepest
/// provision is a candidate (nested provisions override their parent).
///
/// **Data period, failing closed.** A permit needs the resource's date wholly inside the data period; a
/// deny applies when the date overlaps it, or when the resource has no date at all.
///
/// **Specificity** (see ``Specificity``), compared over everything a candidate inherits from its
/// ancestors: actor first (one party > a group > anyone), then category (named > everything), then the
/// number of other constrained dimensions (action, data period, validity period), then depth. The
/// highest wins; among equals any deny wins; no candidate at all → deny.
///
/// ```swift
/// let decision = ConsentDecisionPoint().decide(request, consents: records, at: .now)
/// if !decision.permit { /* drop the resource, audit decision.consentIDs */ }
/// ```
public struct ConsentDecisionPoint: Sendable {
    public init() {}

    public func decide(_ request: AccessRequest, consents: [ConsentRecord], at date: Date) -> Decision {
        if request.categories == [.supporting], let referrer = request.referencedBy, referrer.permit {
            return Decision(
                permit: true, consents: referrer.consents,
                reason: "permit: supporting resource reached from a permitted resource")
        }
        let inForce = Self.latestVersions(of: consents.filter { $0.patientID == request.patientID })
            .filter { $0.isInForce(at: date) }
        var candidates: [Candidate] = []
        for record in inForce {
            collect(record.root, in: record, inherited: .none, depth: 0, request: request, at: date, into: &candidates)
        }
        guard let best = candidates.map(\.specificity).max() else {
            return Decision(permit: false, consents: [], reason: "deny by default: no consent provision applies")
        }
        let top = candidates.filter { $0.specificity == best }
        let type: ProvisionType = top.contains { $0.type == .deny } ? .deny : .permit
        let used = Self.unique(top.filter { $0.type == type }.map(\.consent))
        let names = used.map(\.description).joined(separator: ", ")
        return Decision(permit: type == .permit, consents: used, reason: "\(type.rawValue) by consent \(names) (\(best))")
    }

    /// Adds the deepest applicable provisions under `provision` (itself when no child applies).
    private func collect(
        _ provision: Provision, in record: ConsentRecord, inherited: Specificity, depth: Int, request: AccessRequest,
        at date: Date, into candidates: inout [Candidate]
    ) {
        guard let specificity = applies(provision, request, at: date, inherited: inherited, depth: depth) else { return }
        let before = candidates.count
        for child in provision.provisions {
            collect(child, in: record, inherited: specificity, depth: depth + 1, request: request, at: date, into: &candidates)
        }
        if candidates.count == before {
            candidates.append(Candidate(consent: record.reference, type: provision.type, specificity: specificity))
        }
    }

    /// The specificity of `provision` if all its conditions hold, else nil.
    private func applies(
        _ provision: Provision, _ request: AccessRequest, at date: Date, inherited: Specificity, depth: Int
    ) -> Specificity? {
        var actorRank = 0
        if !provision.actors.isEmpty {
            let matching = provision.actors.filter { $0.matches(request.actor) }
            guard !matching.isEmpty else { return nil }
            actorRank = matching.contains(where: \.isIndividual) ? 2 : 1
        }
        guard provision.actions.isEmpty || provision.actions.contains(request.action) else { return nil }
        guard provision.coversEverything || !request.categories.isDisjoint(with: provision.categories) else {
            return nil
        }
        if let validity = provision.validityPeriod, !validity.contains(date) { return nil }
        if let dataPeriod = provision.dataPeriod {
            guard Self.dataDate(request.dataDate, fits: dataPeriod.dateRange, for: provision.type) else { return nil }
        }
        let others = [!provision.actions.isEmpty, provision.dataPeriod != nil, provision.validityPeriod != nil]
        return Specificity(
            actor: max(inherited.actor, actorRank),
            category: max(inherited.category, provision.coversEverything ? 0 : 1),
            otherConstraints: inherited.otherConstraints + others.filter { $0 }.count,
            depth: depth)
    }

    /// Failing closed: a permit needs the date wholly inside, a deny takes any overlap or no date.
    private static func dataDate(_ date: DateRange?, fits period: DateRange, for type: ProvisionType) -> Bool {
        guard let date else { return type == .deny }
        return type == .permit ? period.contains(date) : period.overlaps(date)
    }

    /// The highest version of each consent id.
    static func latestVersions(of records: [ConsentRecord]) -> [ConsentRecord] {
        var latest: [String: ConsentRecord] = [:]
        for record in records where (latest[record.id]?.version ?? Int.min) < record.version {
            latest[record.id] = record
        }
        // Keep the caller's order so reasons and consent lists are stable.
        return records.filter { latest[$0.id] == $0 }
    }

    private static func unique(_ references: [ConsentReference]) -> [ConsentReference] {
        var seen = Set<ConsentReference>()
        return references.filter { seen.insert($0).inserted }
    }

    private struct Candidate {
        let consent: ConsentReference
        let type: ProvisionType
        let specificity: Specificity
    }
}

/// How specific an applicable provision is, including what it inherits from its ancestors. Compared
/// field by field in declaration order.
///
/// Actor comes first because naming one party is the most deliberate choice a patient makes (the national
/// rules: an individual organisation is more specific than a category); categories next (a named BgZ
/// section beats "everything"); then how many other dimensions are constrained; depth last, so an exception
/// always beats the rule it is nested in.
public struct Specificity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 0: any actor, 1: a group (`anyPGOApp`…), 2: one named party.
    public let actor: Int
    /// 0: everything, 1: named categories.
    public let category: Int
    /// Constrained action, data period and validity period, counted along the path.
    public let otherConstraints: Int
    public let depth: Int

    public init(actor: Int, category: Int, otherConstraints: Int, depth: Int) {
        self.actor = actor
        self.category = category
        self.otherConstraints = otherConstraints
        self.depth = depth
    }

    static let none = Specificity(actor: 0, category: 0, otherConstraints: 0, depth: 0)

    public static func < (lhs: Specificity, rhs: Specificity) -> Bool {
        (lhs.actor, lhs.category, lhs.otherConstraints, lhs.depth)
            < (rhs.actor, rhs.category, rhs.otherConstraints, rhs.depth)
    }

    public var description: String {
        "specificity actor \(actor), category \(category), other \(otherConstraints), depth \(depth)"
    }
}
