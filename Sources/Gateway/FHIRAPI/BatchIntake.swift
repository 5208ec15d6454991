import Audit
import Consent
import FHIR
import Foundation
import HTTPTypes
import Hummingbird
import Store
import Zib

/// `POST /fhir` with a `batch` Bundle from a PGO app: MedMij "delen", the patient's own measurements
/// sent several at a time (the receiving side of design flow 4).
///
/// The bearer token names the patient (401 otherwise, for the whole batch). Each entry is then a
/// `POST /fhir/{type}` of its own, under exactly the rules of ``CreateRoutes`` (``CreateRoutes/check``):
/// only the types and profiles apps may create, the subject the token's patient, the patient's consent
/// to `share`, the profiles. Entries succeed or fail independently: the `batch-response` has one entry
/// per request entry, in order, `201 Created` with the location, or the status and OperationOutcome of
/// the refusal.
///
/// ```http
/// POST /fhir            {"resourceType": "Bundle", "type": "batch", "entry": [{"resource": {…}, "request": {"method": "POST", "url": "Observation"}}]}
/// 200                   {"resourceType": "Bundle", "type": "batch-response", "entry": [{"response": {"status": "201 Created", "location": "Observation/…/_history/1"}}]}
/// ```
struct BatchIntake: Sendable {
    let access: PatientAccess
    let creator: CreateRoutes

    /// How one entry ended.
    enum EntryResult {
        case created(StoredResource, Decision)
        case refused(HTTPResponse.Status, FHIRResource, Decision?)
    }

    func handle(_ body: CreateBody, request: Request, context: GatewayRequestContext) async throws -> Response {
        let grant = try await access.grant(for: request, context: context)
        let format = try ContentNegotiation.responseFormat(for: request)
        let entries = body.resource["entry"]?.elements ?? []
        guard !entries.isEmpty else { throw GatewayError(.badRequest, .required, "Bundle.entry is empty: a batch needs at least one entry") }

        let now = Date()
        var results: [EntryResult] = []
        for (index, entry) in entries.enumerated() {
            results.append(try await process(entry, index: index, grant: grant, format: body.format, at: now))
        }
        Self.audit(results, in: context)
        let response = Self.response(results)
        return FHIRResponses.resource(response, format: format, pretty: ContentNegotiation.isPretty(request))
    }

    /// One entry, as `POST /fhir/{type}` would treat it.
    private func process(_ entry: FHIRValue, index: Int, grant: PatientAccess.Grant, format: FHIRFormat, at now: Date) async throws
        -> EntryResult
    {
        guard entry["request"]?["method"]?.stringValue == "POST" else {
            return Self.refusal(.methodNotAllowed, .notSupported, "Bundle.entry[\(index)].request.method must be POST: a batch from an app creates resources")
        }
        let type = entry["request"]?["url"]?.stringValue.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 } ?? ""
        guard let object = entry["resource"]?.objectValue, let resource = try? FHIRResource(object),
              FHIRSchema.stu3.isResourceType(resource.resourceType)
        else {
            return Self.refusal(.badRequest, .invalid, "Bundle.entry[\(index)].resource is missing or not a FHIR STU3 resource")
        }
        guard let accepted = CreateRoutes.writableProfiles[type] else {
            return Self.refusal(
                .methodNotAllowed, .notSupported,
                "Bundle.entry[\(index)].request.url: '\(type)' cannot be created here; apps may create: \(CreateRoutes.writableProfiles.keys.sorted())")
        }
        guard resource.resourceType == type else {
            return Self.refusal(.badRequest, .invalid, "Bundle.entry[\(index)].resource is a \(resource.resourceType), but request.url says \(type)")
        }
        let checked: CreateRoutes.WriteCheck
        do {
            checked = try await creator.check(resource, accepted: accepted, grant: grant, at: now)
        } catch let error as GatewayError {
            return .refused(error.status, error.outcome.resource, nil)
        }
        switch checked {
        case .denied(let decision):
            let outcome = OperationOutcome(
                severity: .error, code: .forbidden, diagnostics: "the patient has not consented to this app storing this \(type) in the record")
            return .refused(.forbidden, outcome.resource, decision)
        case .invalid(let issues, let decision):
            return .refused(.unprocessableContent, ValidationOutcome.resource(issues), decision)
        case .accepted(let resource, let decision):
            let incoming = IncomingResource(resource: resource, receivedFormat: format, receivedBytes: format.serialize(resource))
            let stored = try await creator.repository.create(incoming, inCompartmentOf: grant.patientID, at: now)
            return .created(stored, decision)
        }
    }

    static func refusal(_ status: HTTPResponse.Status, _ code: OperationOutcome.IssueType, _ diagnostics: String) -> EntryResult {
        .refused(status, OperationOutcome(severity: .error, code: code, diagnostics: diagnostics).resource, nil)
    }

    /// The batch-response: one entry per request entry, in order.
    static func response(_ results: [EntryResult]) -> FHIRResource {
        let entries: [FHIRValue] = results.map { result in
            switch result {
            case .created(let stored, _):
                var response: FHIRObject = [
                    "status": "201 Created",
                    "location": .string("\(stored.reference)/_history/\(stored.version)"),
                    "etag": .string(FHIRResponses.etag(version: stored.version)),
                ]
                response["lastModified"] = .string(stored.lastUpdated)
                return ["response": .object(response)]
            case .refused(let status, let outcome, _):
                return ["response": ["status": .string("\(status.code) \(status.reasonPhrase)"), "outcome": .object(outcome.content)]]
            }
        }
        let bundle: FHIRObject = [
            "resourceType": "Bundle", "id": .string(UUID().uuidString.lowercased()), "type": "batch-response", "entry": .array(entries),
        ]
        return (try? FHIRResource(bundle)) ?? OperationOutcome(severity: .fatal, code: .exception, diagnostics: "response unavailable").resource
    }

    /// The audit event: what was created, the consent decisions over the entries that reached them, and
    /// the count of each refusal status (never an entry's content).
    static func audit(_ results: [EntryResult], in context: GatewayRequestContext) {
        var created: [String] = []
        var refusals: [Int: Int] = [:]
        var decisions: [Decision] = []
        for result in results {
            switch result {
            case .created(let stored, let decision):
                created.append(stored.reference)
                decisions.append(decision)
            case .refused(let status, _, let decision):
                refusals[Int(status.code), default: 0] += 1
                if let decision { decisions.append(decision) }
            }
        }
        context.audit.disclosed(created)
        let refused = refusals.keys.sorted().map { "\(refusals[$0] ?? 0)×\($0)" }.joined(separator: ", ")
        var seen = Set<ConsentReference>()
        let consents = decisions.flatMap { $0.consents }.filter { seen.insert($0).inserted }.map { ConsentVersion(id: $0.id, version: $0.version) }
        let permitted = decisions.filter(\.permit).count
        let denied = decisions.count - permitted
        context.audit.update {
            // An app sharing the patient's own measurements into the record (MedMij "delen").
            $0.kind = .share
            $0.detail = "batch: \(created.count) of \(results.count) entries created" + (refused.isEmpty ? "" : "; refused \(refused)")
            if !decisions.isEmpty {
                $0.decision = ConsentDecisionRecord(
                    outcome: ConsentDecisionRecord.outcome(permitted: permitted, denied: denied), consents: consents, permitted: permitted,
                    denied: denied)
            }
        }
    }
}
