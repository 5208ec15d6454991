import Audit
import Consent
import FHIR
import Foundation
import HTTPTypes
import Hummingbird
import Store
import Zib

/// `POST /fhir` with a `transaction` Bundle: a care provider's EPD pushes a summary into a patient's
/// record (design flow 2).
///
/// The steps, each refusing with its own answer and storing nothing:
/// 1. the caller is a registered organisation with a URA (403 otherwise);
/// 2. the Bundle is well formed (400 naming what is wrong, see ``PushBundleError``): an identifier,
///    entries with resources and POSTs, exactly one Patient with a valid BSN;
/// 3. a Bundle this party pushed before under the same identifier is a retry: the kept
///    transaction-response is sent again, byte for byte, and nothing is stored;
/// 4. the BSN names an imported PZC and the patient's consents permit this provider (`.provider(ura)`)
///    to `push` every resource: otherwise 403, the same answer whether or not the patient exists;
/// 5. every reference resolves within the Bundle (400 listing each one that does not);
/// 6. every resource passes its type, record and profile checks (422, one OperationOutcome listing
///    each entry's problems);
/// 7. everything is stored in one write transaction (``PushStore/commit(_:at:)``): the resources
///    under server ids, the Bundle's Patient replaced by the patient's own record, conditional creates
///    resolved, a Provenance, and the Bundle with its response in `pushed_bundle`. 200 with the
///    transaction-response.
///
/// The audit event names the party (by the middleware), the patient, the resources created, the
/// consent decision and the outcome; never the BSN or anything clinical.
struct PushIntake: Sendable {
    let repository: ResourceRepository
    let validator: ProfileValidator
    let consents: ConsentRepository
    let decisionPoint = ConsentDecisionPoint()

    var store: PushStore { PushStore(repository: repository) }

    /// The one answer for "no such patient" and "not permitted": the sender must not learn which.
    static let refusal = GatewayError.forbidden(
        "this provider may not push data for this patient: there is no record for this BSN that permits it")

    func handle(_ body: CreateBody, request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let caller = context.caller, caller.party.kind == .organization, let ura = caller.party.ura else {
            throw GatewayError.forbidden("only a registered care provider organisation (with a URA) can push a transaction")
        }
        let format = try ContentNegotiation.responseFormat(for: request)
        let pretty = ContentNegotiation.isPretty(request)
        let bundle: PushBundle
        do {
            bundle = try PushBundle(parsing: body.resource)
        } catch {
            throw error.gatewayError
        }

        if let (kept, keptBundle) = try await store.receipt(partyID: caller.party.partyID, identifier: bundle.identifier) {
            return try Self.replay(kept, sameBundle: keptBundle == body.resource, context: context)
        }

        let now = Date()
        let patientID = try await permittedPatient(bundle, ura: ura, context: context, at: now)
        let resolved: PushReferences
        do {
            resolved = try PushReferences.resolve(bundle, patientID: patientID, references: repository.references)
        } catch {
            context.audit.update { $0.detail = "push refused: \(error.references.count) unresolved reference(s)" }
            return FHIRResponses.resource(PushReferences.outcome(error), format: format, pretty: pretty, status: .badRequest)
        }
        let problems = PushValidation(validator: validator, repository: repository)
            .problems(in: resolved, bundle: bundle, patientID: patientID)
        guard problems.isEmpty else {
            context.audit.update { $0.detail = "push refused: \(PushValidation.auditSummary(problems))" }
            return FHIRResponses.resource(PushValidation.outcome(problems), format: format, pretty: pretty, status: .unprocessableContent)
        }

        let commit = try makeCommit(
            bundle, resolved: resolved, body: body, caller: caller, ura: ura, patientID: patientID, at: now, format: format, pretty: pretty)
        let result: PushCommitResult
        do {
            result = try await store.commit(commit, at: now)
        } catch let error as PushCommitError {
            // The identifier is the sender's text; the other descriptions hold positions and counts only.
            let detail = if case .identifierReused = error { "Bundle.identifier reused for a different Bundle" } else { error.description }
            context.audit.update { $0.detail = "push refused: \(detail)" }
            throw Self.gatewayError(for: error)
        }
        switch result {
        case .replayed(let kept):
            // A concurrent identical push committed first; this one is its retry.
            return try Self.replay(kept, sameBundle: true, context: context)
        case .committed(let receipt):
            context.audit.disclosed(receipt.created + ["Provenance/\(receipt.provenanceID)"])
            context.audit.update {
                $0.detail = "push \(receipt.pushID) accepted: \(receipt.created.count) resource(s) created, "
                    + "\(bundle.entries.count - 1 - receipt.created.count) matched by ifNoneExist"
            }
            return FHIRResponses.body(receipt.response.bytes, format: receipt.response.format, status: .ok)
        }
    }

    /// Step 4: the record the BSN names, when its consents permit this provider to push every resource
    /// of the Bundle. Unknown BSN, ambiguous BSN and no permission all end in the same 403.
    private func permittedPatient(_ bundle: PushBundle, ura: String, context: GatewayRequestContext, at now: Date) async throws -> String {
        let candidates = try await store.patientIDs(bsn: bundle.bsn.digits)
        guard candidates.count == 1, let patientID = candidates.first else {
            context.audit.update {
                $0.detail = "push refused: \(candidates.isEmpty ? "no imported PZC has" : "several PZCs share") the pushed patient's BSN"
                $0.decision = ConsentDecisionRecord(outcome: .deny, consents: [], permitted: 0, denied: bundle.entries.count - 1)
            }
            throw Self.refusal
        }
        context.audit.update { $0.patientID = patientID }
        let inForce = try await consents.consentsInForce(patientID: patientID, at: now)
        let actor = ConsentActor.provider(ura: ura)
        let stored = bundle.entries.filter { $0.index != bundle.patientIndex }.map(\.resource)
        // Who and where (organisations, practitioners) come with the clinical data they support.
        let clinical = stored.filter { DataCategory.of(resource: $0) != [.supporting] }
        var decisions = clinical.map {
            decisionPoint.decide(AccessRequest(patientID: patientID, actor: actor, action: .push, resource: $0), consents: inForce, at: now)
        }
        let referrer = decisions.first { $0.permit }
        decisions += stored.filter { DataCategory.of(resource: $0) == [.supporting] }.map {
            decisionPoint.decide(
                AccessRequest(patientID: patientID, actor: actor, action: .push, resource: $0, referencedBy: referrer),
                consents: inForce, at: now)
        }
        let denied = decisions.filter { !$0.permit }.count
        let permitted = decisions.count - denied
        var seen = Set<ConsentReference>()
        let used = decisions.flatMap { $0.consents }.filter { seen.insert($0).inserted }.map { ConsentVersion(id: $0.id, version: $0.version) }
        context.audit.update {
            $0.decision = ConsentDecisionRecord(
                outcome: denied == 0 ? .permit : .deny, consents: used, permitted: denied == 0 ? permitted : 0, denied: denied == 0 ? 0 : decisions.count)
        }
        guard denied == 0, !decisions.isEmpty else {
            context.audit.update {
                $0.detail = "push refused: the patient's consents do not permit this provider to push (\(denied) of \(decisions.count) resource(s) denied)"
            }
            throw Self.refusal
        }
        return patientID
    }

    private func makeCommit(
        _ bundle: PushBundle, resolved: PushReferences, body: CreateBody, caller: Caller, ura: String, patientID: String, at now: Date,
        format: FHIRFormat, pretty: Bool
    ) throws -> PushCommit {
        var entries: [PushEntry] = []
        for (entry, resource) in zip(bundle.entries, resolved.resources) where entry.index != bundle.patientIndex {
            let query = try entry.ifNoneExist.map { try Self.conditionalQuery($0, type: resource.resourceType, index: entry.index) }
            // The sender's own text of the entry is kept with the version, as the bytes it came in.
            let received = body.format.serialize(entry.resource)
            entries.append(PushEntry(
                bundleIndex: entry.index, incoming: IncomingResource(resource: resource, receivedFormat: body.format, receivedBytes: received),
                ifNoneExist: query))
        }
        let provenance = PushProvenance(
            sender: .init(ura: ura, name: caller.party.displayName), identifier: bundle.identifier, patientID: patientID, recorded: now,
            senderEntry: PushProvenance.senderEntry(in: bundle, ura: ura))
        let entryCount = bundle.entries.count
        return PushCommit(
            partyID: caller.party.partyID, identifier: bundle.identifier, patientID: patientID, bundle: body.resource,
            bundleFormat: body.format, bundleBytes: body.bytes, entries: entries,
            provenance: { provenance.resource(for: $0) },
            response: { outcomes, _ in PushProvenance.response(outcomes, entryCount: entryCount, format: format, pretty: pretty) })
    }

    /// `request.ifNoneExist` as a search on the entry's type. A patient-selecting parameter is refused:
    /// the search runs within the pushed patient's record anyway.
    static func conditionalQuery(_ text: String, type: String, index: Int) throws -> SearchQuery {
        let query = text.hasPrefix("?") ? String(text.dropFirst()) : text
        let parameters: [(name: String, value: String)]
        do {
            parameters = try QueryString.parse(query, form: false)
        } catch {
            throw PushBundleError.malformedIfNoneExist(index, reason: "broken percent-encoding").gatewayError
        }
        guard !parameters.isEmpty else { throw PushBundleError.malformedIfNoneExist(index, reason: "no search parameters").gatewayError }
        do {
            try SearchRoutes.refusePatientSelection(parameters)
            return try SearchQuery.parse(resourceType: type, parameters: parameters)
        } catch let error as SearchQueryError {
            throw PushBundleError.malformedIfNoneExist(index, reason: error.description).gatewayError
        } catch {
            throw PushBundleError.malformedIfNoneExist(index, reason: "the patient is the Bundle's Patient; do not select it").gatewayError
        }
    }

    /// A retry: the kept answer again, or 409 when the identifier came with a different Bundle.
    static func replay(_ kept: PushReceipt, sameBundle: Bool, context: GatewayRequestContext) throws -> Response {
        context.audit.update { $0.patientID = kept.patientID }
        guard sameBundle else {
            context.audit.update { $0.detail = "push refused: Bundle.identifier reused for a different Bundle (first push \(kept.pushID))" }
            throw gatewayError(for: .identifierReused(kept.identifier))
        }
        context.audit.update { $0.detail = "push \(kept.pushID) retried: the kept transaction-response was sent again, nothing stored" }
        return FHIRResponses.body(kept.response.bytes, format: kept.response.format, status: .ok)
    }

    static func gatewayError(for error: PushCommitError) -> GatewayError {
        switch error {
        case .identifierReused: GatewayError(.conflict, .duplicate, error.description)
        case .conditionalMatchesSeveral: GatewayError(.preconditionFailed, .duplicate, error.description)
        case .compartmentMismatch: GatewayError(.unprocessableContent, .businessRule, error.description)
        case .idTaken, .provenanceOutsideRecord: GatewayError(.internalServerError, .exception, error.description)
        }
    }
}
