import Audit
import Consent
import FHIR
import Foundation
import HTTPTypes
import Hummingbird
import Store
import Zib

/// `POST /fhir/{type}` (create) for PGO apps: MedMij "send self-measurements", the patient's own home
/// measurements stored in the patient's record.
///
/// The steps, each refusing with its own answer and storing nothing:
/// 1. the bearer token names the patient (401 otherwise, ``PatientAccess``);
/// 2. the type must be one apps may create: Observation vital signs only (405 for any other type);
/// 3. the body is JSON or XML (415), within the size limit (413), well formed (400), of the type the
///    path names (400);
/// 4. the subject must be the token's patient or absent (then it is set); a subject, performer or
///    other compartment reference naming another patient is refused with 403, like any write into a
///    record the token does not open (the value is never echoed);
/// 5. the patient must have consented (``WriteAuthorization``): 403 otherwise, deny by default;
/// 6. it must claim a profile accepted for create (``writableProfiles``) and pass validation against
///    the base definition and every profile it claims: every problem is one OperationOutcome issue
///    with its FHIRPath `expression`, its XPath `location` and the rule broken, answered with 422;
/// 7. it is stored as version 1 under a server-assigned id: 201 with `Location`, `ETag`,
///    `Last-Modified` and the stored resource.
///
/// Every outcome is written to the audit log by ``AuditMiddleware``; the consent decision and the
/// created resource are noted for it.
struct CreateRoutes: Sendable {
    let repository: ResourceRepository
    let access: PatientAccess
    let validator: ProfileValidator
    let authorization: any WriteAuthorization

    /// The profiles a PGO app may create resources under, per type: the zib2017 vital signs a person
    /// measures at home, and Nictiz's blood glucose profile. Everything else is the care providers' to
    /// record, not an app's.
    static let writableProfiles: [String: Set<String>] = [
        "Observation": Set(
            ["zib-BloodPressure", "zib-BodyWeight", "zib-BodyHeight", "zib-HeartRate", "zib-BodyTemperature",
             "zib-OxygenSaturation", "vitalsign-bloodglucose"].map { "http://nictiz.nl/fhir/StructureDefinition/\($0)" })
    ]

    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.post(":type") { request, context in try await create(request, context) }
    }

    private func create(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let type = try FHIRPathParameters.type(context)
        let format = try ContentNegotiation.responseFormat(for: request)
        let grant = try await access.grant(for: request, context: context)
        guard let accepted = Self.writableProfiles[type] else {
            throw GatewayError(
                .methodNotAllowed, .notSupported, "\(type) cannot be created here; apps may create: \(Self.writableProfiles.keys.sorted())")
        }
        let body = try await CreateBody.read(request, context: context)
        guard body.resource.resourceType == type else {
            throw GatewayError.invalid("the body is a \(body.resource.resourceType), but the URL says \(type)")
        }
        let now = Date()
        let resource: FHIRResource
        switch try await check(body.resource, accepted: accepted, grant: grant, at: now) {
        case .denied(let decision):
            Self.audit(decision, in: context)
            throw GatewayError.forbidden("the patient has not consented to this app storing this \(type) in the record")
        case .invalid(let issues, let decision):
            Self.audit(decision, in: context)
            context.audit.update { $0.detail = "create refused: \(Self.issueSummary(issues))" }
            return FHIRResponses.resource(
                ValidationOutcome.resource(issues), format: format, pretty: ContentNegotiation.isPretty(request),
                status: .unprocessableContent)
        case .accepted(let checked, let decision):
            Self.audit(decision, in: context)
            resource = checked
        }

        let incoming = IncomingResource(resource: resource, receivedFormat: body.format, receivedBytes: body.bytes)
        let stored = try await repository.create(incoming, inCompartmentOf: grant.patientID, at: now)
        context.audit.disclosed([stored.reference])
        return try Self.created(stored, base: BaseURL.of(request), format: format, pretty: ContentNegotiation.isPretty(request))
    }

    /// What one app write came to before anything is stored.
    enum WriteCheck {
        /// Consented and valid: the resource as it is to be stored (its subject set).
        case accepted(FHIRResource, Decision)
        /// The patient's consents do not permit the write (403).
        case denied(Decision)
        /// Consented, but refused by the profiles (422, one issue per problem).
        case invalid([ValidationIssue], Decision)
    }

    /// Steps 4 to 6 for one resource of a type apps may create (`accepted`: its accepted profiles):
    /// subject and compartment (throws a 403 ``GatewayError`` naming no other patient), consent, then
    /// profiles. Shared by `POST /fhir/{type}` and the entries of a `batch` Bundle, so both follow the
    /// same rules.
    func check(_ resource: FHIRResource, accepted: Set<String>, grant: PatientAccess.Grant, at now: Date) async throws -> WriteCheck {
        let resource = try Self.withSubject(resource, patientID: grant.patientID, references: repository.references)
        guard repository.compartmentPatients(of: resource) == [grant.patientID] else {
            throw GatewayError.forbidden("the resource refers to another patient; an app writes into its own patient's record only")
        }
        let decision = try await authorization.mayWrite(resource, for: grant, at: now)
        guard decision.permit else { return .denied(decision) }
        let issues = Self.claimIssues(resource, accepted: accepted, validator: validator)
            + validator.validate(resource).filter { $0.severity == .error }
        guard issues.isEmpty else { return .invalid(issues, decision) }
        return .accepted(resource, decision)
    }

    /// Issue texts may quote values of the resource; the audit event keeps only what broke.
    static func issueSummary(_ issues: [ValidationIssue]) -> String {
        let codes = Set(issues.map(\.code.rawValue)).sorted().joined(separator: ", ")
        return "\(issues.count) validation issue(s) (\(codes))"
    }

    /// The resource with its subject set to the token's patient when absent; refused (403) when it
    /// names anyone else, or names the patient other than by a literal reference (an identifier, such
    /// as a BSN, never selects a patient).
    static func withSubject(_ resource: FHIRResource, patientID: String, references: LocalReferences) throws -> FHIRResource {
        let own = "Patient/\(patientID)"
        guard let subject = resource["subject"] else {
            var resource = resource
            resource["subject"] = ["reference": .string(own)]
            return resource
        }
        guard let reference = subject["reference"]?.stringValue, let target = references.target(reference),
              target.type == "Patient", target.id == patientID
        else {
            throw GatewayError.forbidden("the subject must be \(own), the token's patient, or absent")
        }
        return resource
    }

    /// A create must claim a profile accepted for it; claims of profiles the validator does not know
    /// are left to the validator, which refuses them as `not-supported`.
    static func claimIssues(_ resource: FHIRResource, accepted: Set<String>, validator: ProfileValidator) -> [ValidationIssue] {
        let type = resource.resourceType
        let claimed = resource.profiles
        guard !claimed.isEmpty else {
            return [ValidationIssue(
                severity: .error, location: "\(type).meta.profile", rule: "profile required for create",
                message: "claim one of \(accepted.sorted().joined(separator: ", "))", code: .required)]
        }
        return claimed.enumerated().compactMap { index, url in
            let canonical = String(url.split(separator: "|", maxSplits: 1).first ?? "")
            guard validator.supports(profile: canonical), !accepted.contains(canonical) else { return nil }
            return ValidationIssue(
                severity: .error, location: "\(type).meta.profile[\(index)]", rule: "profile not accepted for create",
                message: "\(url) is not a profile apps may create \(type)s under; use one of \(accepted.sorted().joined(separator: ", "))",
                code: .businessRule)
        }
    }

    /// Notes the consent decision for the request's audit event.
    static func audit(_ decision: Decision, in context: GatewayRequestContext) {
        let consents = decision.consents.map { ConsentVersion(id: $0.id, version: $0.version) }
        context.audit.update {
            $0.decision = ConsentDecisionRecord(
                outcome: decision.permit ? .permit : .deny, consents: consents, permitted: decision.permit ? 1 : 0,
                denied: decision.permit ? 0 : 1)
        }
    }

    /// 201 with the stored version, where it lives and its validators.
    static func created(_ stored: StoredResource, base: String, format: FHIRFormat, pretty: Bool) throws -> Response {
        var headers = HTTPFields()
        headers[.location] = "\(base)/fhir/\(stored.type)/\(stored.id)/_history/\(stored.version)"
        headers[.eTag] = FHIRResponses.etag(version: stored.version)
        if let millis = Instant.milliseconds(parsing: stored.lastUpdated) {
            headers[.lastModified] = Instant.httpDate(milliseconds: millis)
        }
        if format == .json, !pretty {
            return FHIRResponses.body(stored.contentJSON, format: .json, status: .created, extraHeaders: headers)
        }
        return FHIRResponses.resource(try stored.resource(), format: format, pretty: pretty, status: .created, extraHeaders: headers)
    }
}

/// A request body read for a create: the resource, and the bytes and format it came in (kept with the
/// stored version for provenance).
struct CreateBody {
    let resource: FHIRResource
    let format: FHIRFormat
    let bytes: [UInt8]

    static func read(_ request: Request, context: GatewayRequestContext) async throws -> CreateBody {
        let format = try ContentNegotiation.requestFormat(for: request)
        var request = request
        let bytes = Array(try await request.collectBody(upTo: context.maxBodySize).readableBytesView)
        do {
            return CreateBody(resource: try format.parseResource(bytes), format: format, bytes: bytes)
        } catch {
            let issue = BodyReader.issueType(for: error)
            throw GatewayError(.badRequest, issue, error.description, auditDetail: "request body refused (\(issue.rawValue))")
        }
    }
}

/// Validation issues as an OperationOutcome: one issue per problem, with the FHIRPath `expression`
/// and the STU3 XPath `location` of the element, the issue type of the rule broken and, in
/// `diagnostics`, the rule and what is wrong.
///
/// ```swift
/// ValidationOutcome.xpath("Observation.component[1].code")  // "/f:Observation/f:component[2]/f:code"
/// ```
enum ValidationOutcome {
    static func resource(_ issues: [ValidationIssue]) -> FHIRResource {
        var outcome = OperationOutcome(issues.map { issue in
            OperationOutcome.Issue(
                severity: issue.severity == .error ? .error : .warning, code: issue.code,
                diagnostics: "\(issue.rule): \(issue.message)", expression: [issue.location])
        }).resource
        let located = zip(outcome["issue"]?.elements ?? [], issues).map { value, issue -> FHIRValue in
            var object = value.objectValue ?? FHIRObject()
            object["location"] = [.string(xpath(issue.location))]
            return .object(object)
        }
        outcome["issue"] = .array(located)
        return outcome
    }

    /// STU3 `issue.location` is a simple XPath: element names in the FHIR namespace, 1-based positions.
    static func xpath(_ location: String) -> String {
        location.split(separator: ".").map { step -> String in
            guard let bracket = step.firstIndex(of: "["), let index = Int(step[step.index(after: bracket)...].dropLast()) else {
                return "/f:\(step)"
            }
            return "/f:\(step[..<bracket])[\(index + 1)]"
        }.joined()
    }
}
