import Audit
import Consent
import FHIR
import Foundation
import Hummingbird
import Store
import Synchronization

/// The one place where patient data on the back channel meets the patient's consent.
///
/// Every route that serves patient data (read, vread, history, search with its `_include`s and every
/// later page, `$lastn`) starts with ``check(_:context:)``: it authenticates the bearer token
/// (``PatientAccess``) and loads the consents of the token's patient from the database, fresh for this
/// request. The returned ``ConsentCheck`` then decides each resource through the
/// ``ConsentDecisionPoint`` with the app as actor (`.pgoApp(client id)`) and action `.collect`, and
/// writes the outcome into the request's audit event. Deny by default: no consent, no data.
///
/// Nothing is cached beyond the request: a revocation recorded a moment ago counts on the very next
/// request, with the same token.
struct ConsentPolicy: Sendable {
    let access: PatientAccess
    /// Where consents are recorded; writes (push, create, batch) check and record through it.
    let consents: ConsentRepository
    /// Where reads look up the consents in force: `consents` itself, except in the benchmarks' overhead
    /// server (``MeasurementSubstitutes``).
    let lookup: any ConsentSource

    init(access: PatientAccess, consents: ConsentRepository, lookup: (any ConsentSource)? = nil) {
        self.access = access
        self.consents = consents
        self.lookup = lookup ?? consents
    }

    /// Authenticates the request's token and reads its patient's consents as they are now.
    func check(_ request: Request, context: GatewayRequestContext) async throws -> ConsentCheck {
        let grant = try await access.grant(for: request, context: context)
        let now = Date()
        // One read gives both the consents in force (`consentsInForce` filters these very rows) and
        // the ids whose `Consent` resources are the patient's own access consents.
        let latest = try await lookup.latestVersions(patientID: grant.patientID)
        return ConsentCheck(
            patientID: grant.patientID, actor: grant.consentActor, action: .collect, inForce: latest.filter { $0.isInForce(at: now) },
            accessConsentIDs: Set(latest.map(\.id)), showsAccessConsents: true, at: now)
    }
}

/// One request's consent decisions: deciding, remembering within the request, and reporting to the
/// audit log.
///
/// Decisions are remembered by their ``AccessRequest`` (category set, data date, referrer), so a page
/// of fifty Conditions costs one decision, not fifty; the memory dies with the request.
///
/// **The patient's own access consents.** `Consent` resources rendered from the patient's consent
/// records (category `access-consent`) are served to the patient's token without a decision: they say
/// what the patient agreed to, not clinical data, and the patient may always see them. Only ids that
/// really are consent records of this patient count, so a `Consent` written by anyone else with that
/// category is decided like any other resource. zib directive Consents are ordinary data
/// (`.directives`). A PZC member never sees the patient's access consents (`showsAccessConsents`):
/// who else may see what is the patient's business.
final class ConsentCheck: Sendable {
    /// The one patient whose data the request reaches.
    let patientID: String
    /// Who asks, as consents name them; nil for a caller no consent can name (nothing is permitted).
    let actor: ConsentActor?
    /// What the caller does with the data: a PGO app collects, a PZC member reads.
    let action: ConsentAction
    private let inForce: [ConsentRecord]
    private let accessConsentIDs: Set<String>
    /// Whether the patient's own access consents are served (to the patient's token) or withheld.
    private let showsAccessConsents: Bool
    /// One instant for every decision of the request, so its pages and includes agree with each other.
    private let moment: Date
    /// Whether any provision in force judges data by its clinical date. When none does, the date of a
    /// resource cannot change a decision and most types are decided without parsing a single resource.
    private let datesMatter: Bool
    private let decisionPoint = ConsentDecisionPoint()
    private let state = Mutex(State())

    private struct State {
        var decisions: [AccessRequest: Decision] = [:]
        /// The consent versions that took part in the request's decisions, in first-use order.
        var used: [ConsentReference] = []
    }

    init(
        patientID: String, actor: ConsentActor?, action: ConsentAction, inForce: [ConsentRecord], accessConsentIDs: Set<String>,
        showsAccessConsents: Bool, at moment: Date
    ) {
        self.showsAccessConsents = showsAccessConsents
        self.patientID = patientID
        self.actor = actor
        self.action = action
        self.inForce = inForce
        self.accessConsentIDs = accessConsentIDs
        self.moment = moment
        self.datesMatter = inForce.contains { Self.judgesDates($0.root) }
    }

    /// What the store may show: the patient's compartment and what it refers to.
    var scope: AccessScope { .patient(id: patientID) }

    /// The decision for one resource; with `referrer`, for a resource reached from it in this request
    /// (`_include`), which is left out when the referrer itself is not permitted.
    func decide(_ stored: StoredResource, reachedFrom referrer: StoredResource? = nil) -> Decision {
        var referrerDecision: Decision?
        if let referrer {
            let decision = decide(referrer)
            guard decision.permit else {
                return Decision(permit: false, consents: [], reason: "deny: reached from a resource that is not permitted")
            }
            referrerDecision = decision
        }
        if stored.type == "Consent", let own = ownAccessConsent(stored) { return noted(own) }
        guard let actor else {
            return Decision(permit: false, consents: [], reason: "deny by default: no consent can name the caller")
        }
        let request: AccessRequest
        if !datesMatter, let categories = DataCategory.of(resourceType: stored.type) {
            request = AccessRequest(
                patientID: patientID, actor: actor, action: action, categories: categories, referencedBy: referrerDecision)
        } else {
            // Stored content was valid when written; failing to read it now fails closed.
            guard let resource = try? stored.resource() else {
                return Decision(permit: false, consents: [], reason: "deny: the stored resource could not be read")
            }
            request = AccessRequest(patientID: patientID, actor: actor, action: action, resource: resource, referencedBy: referrerDecision)
        }
        return noted(decided(request))
    }

    /// What holds for every match of a type, when that can be known without reading them: the decision
    /// for every category set the type can have (``DataCategory/possibleSets(resourceType:)``).
    func verdict(_ type: String) -> DisclosureFilter.Verdict {
        if type == "Consent" { return .eachResource }
        guard let actor else { return .none }
        if datesMatter { return .eachResource }
        let decisions = DataCategory.possibleSets(resourceType: type).map { categories in
            decided(AccessRequest(patientID: patientID, actor: actor, action: action, categories: categories))
        }
        if decisions.allSatisfy(\.permit) {
            decisions.forEach { _ = noted($0) }
            return .all
        }
        if !decisions.contains(where: \.permit) {
            decisions.forEach { _ = noted($0) }
            return .none
        }
        return .eachResource
    }

    /// The check as the store's filter for searches and `$lastn`.
    var filter: DisclosureFilter {
        DisclosureFilter(
            verdict: { [self] type in verdict(type) },
            admitsMatch: { [self] stored in decide(stored).permit },
            admitsInclude: { [self] included, referrer in decide(included, reachedFrom: referrer).permit })
    }

    /// Writes the request's decision into its audit event: how many resources were disclosed and
    /// withheld, and the consent versions that decided.
    func audit(permitted: Int, denied: Int, in context: GatewayRequestContext) {
        let used = state.withLock { $0.used }.map { ConsentVersion(id: $0.id, version: $0.version) }
        context.audit.update {
            $0.decision = ConsentDecisionRecord(
                outcome: ConsentDecisionRecord.outcome(permitted: permitted, denied: denied), consents: used, permitted: permitted, denied: denied)
        }
    }

    /// The decision over a search or `$lastn`: the entries served against the matches (of every page)
    /// and `_include`s (of this page) withheld.
    func audit(_ filtered: FilteredSearchResult, in context: GatewayRequestContext) {
        audit(
            permitted: filtered.result.matches.count + filtered.result.includes.count,
            denied: filtered.withheldMatches + filtered.withheldIncludes, in: context)
    }

    private func decided(_ request: AccessRequest) -> Decision {
        if let known = state.withLock({ $0.decisions[request] }) { return known }
        let decision = decisionPoint.decide(request, consents: inForce, at: moment)
        state.withLock { $0.decisions[request] = decision }
        return decision
    }

    private func noted(_ decision: Decision) -> Decision {
        state.withLock { state in
            for consent in decision.consents where !state.used.contains(consent) { state.used.append(consent) }
        }
        return decision
    }

    /// The permit for one of the patient's own access consents, naming the version read.
    private func ownAccessConsent(_ stored: StoredResource) -> Decision? {
        guard accessConsentIDs.contains(stored.id), let resource = try? stored.resource(), ConsentRecord.isAccessConsent(resource)
        else { return nil }
        guard showsAccessConsents else {
            return Decision(permit: false, consents: [], reason: "deny: the patient's access consents are the patient's own")
        }
        return Decision(
            permit: true, consents: [ConsentReference(id: stored.id, version: stored.version)],
            reason: "permit: the patient's own access consent")
    }

    private static func judgesDates(_ provision: Provision) -> Bool {
        provision.dataPeriod != nil || provision.provisions.contains(where: judgesDates)
    }
}
