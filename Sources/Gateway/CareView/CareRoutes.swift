import Consent
import FHIR
import Foundation
import Hummingbird
import Store

/// What a member of a patient's personal care community sees of that patient's record, on the front
/// listener under `/care`: the patients whose PZC they belong to, and per patient exactly the data the
/// patient lets them read.
///
/// Every record page passes the same decision point as a PGO app's FHIR request (``ConsentCheck``),
/// with the member as actor (`.member(practitioner id)`) and action `.read`: deny by default, the
/// member consents the patient sets in the portal (`/portal/members`) decide, read fresh on every
/// request, and the decision is written into the request's audit event. Members log in with the UZI
/// stand-in (professionals); relatives and friends have no login of their own yet.
///
/// ```swift
/// CareRoutes(sessions: oauth.sessions, repository: repository, consents: consents, pzcs: PZCRecords(database: database))
///     .register(on: router)
/// ```
struct CareRoutes: Sendable {
    let sessions: SessionManager
    let repository: ResourceRepository
    let consents: ConsentRepository
    let pzcs: PZCRecords

    /// The audit events of the members' view name the member: `partyKind` this, `partyID` the member id
    /// (their Practitioner id), so the patient's access log can say who looked.
    static let memberPartyKind = "pzc-member"

    /// At most this many resources of one kind on a page; the page says how many there are.
    static let perSection = 100

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/care") { request, context in
            let text = CareText(language: .of(request))
            guard let (session, memberID) = try await member(request, context: context, text: text) else { return LoginRoutes.redirect(to: "/login") }
            let communities = try await pzcs.communities(memberID: memberID)
            context.audit.update { $0.detail = "care: patient list shown (\(communities.count))" }
            return CarePages.patients(text: text, session: session, communities: communities).response()
        }
        router.get("/care/patients/:patient") { request, context in
            let text = CareText(language: .of(request))
            guard let (session, memberID) = try await member(request, context: context, text: text) else { return LoginRoutes.redirect(to: "/login") }
            let patientID = context.parameters.get("patient") ?? ""
            // Not a member of this patient's PZC: the same answer as a patient that does not exist.
            guard let community = try await pzcs.communities(memberID: memberID).first(where: { $0.patientResourceID == patientID }) else {
                throw FrontPageError(status: .notFound, message: { _ in text.notAMember }, auditDetail: "care: record refused, not a member")
            }
            context.audit.update { $0.patientID = patientID }
            let sections = try await record(patientID: patientID, memberID: memberID, context: context)
            return CarePages.record(text: text, session: session, community: community, sections: sections).response()
        }
    }

    /// The logged-in professional's member id (their Practitioner id), nil without a login; a
    /// patient's login gets a page saying this part is for members.
    private func member(_ request: Request, context: GatewayRequestContext, text: CareText) async throws -> (FrontSession, String)? {
        guard let session = try await sessions.current(request), let user = session.data.user else { return nil }
        guard case .professional(_, let practitionerID) = user.identity.subject else {
            throw FrontPageError(status: .forbidden, message: { _ in text.onlyMembers }, auditDetail: "care: refused, the login is no member's")
        }
        context.audit.update {
            $0.partyKind = Self.memberPartyKind
            $0.partyID = practitionerID
            $0.userID = user.identity.accountID
        }
        return (session, practitionerID)
    }

    /// The patient's record as the member may read it, one section per kind of data, and the decision
    /// in the audit event.
    private func record(patientID: String, memberID: String, context: GatewayRequestContext) async throws -> [CarePages.Section] {
        let now = Date()
        let latest = try await consents.latestVersions(patientID: patientID)
        let check = ConsentCheck(
            patientID: patientID, actor: .member(memberID), action: .read, inForce: latest.filter { $0.isInForce(at: now) },
            accessConsentIDs: Set(latest.map(\.id)), showsAccessConsents: false, at: now)
        var sections: [CarePages.Section] = []
        var permitted = 0
        var denied = 0
        for kind in CarePages.Kind.allCases {
            let query = try SearchQuery.parse(resourceType: kind.rawValue, parameters: [])
            let page = SearchPage(count: Self.perSection, snapshotMilliseconds: Instant.milliseconds(now))
            let found = try await repository.search(query, scope: check.scope, page: page, filter: check.filter)
            permitted += found.result.matches.count
            denied += found.withheldMatches
            let lines = found.result.matches.compactMap { try? $0.resource() }.map(RecordLine.init)
                .sorted { ($0.when ?? "") > ($1.when ?? "") }
            sections.append(CarePages.Section(kind: kind, lines: lines, total: found.result.total, withheld: found.withheldMatches))
        }
        check.audit(permitted: permitted, denied: denied, in: context)
        context.audit.update { $0.detail = "care: record read by member" }
        return sections
    }
}
