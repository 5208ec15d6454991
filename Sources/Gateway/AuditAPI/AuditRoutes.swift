import Audit
import FHIR
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The auditor's API on the back listener, under `/audit`, for auditor certificates only:
///
/// - `GET /audit/AuditEvent?…`: a FHIR search over the log (``AuditQueryParameters``), answered with
///   `AuditEvent` resources after IHE BALP (``AuditEventRendering``), paged by `_cursor`;
/// - `GET /audit/AuditEvent/{sequence}`: one event;
/// - `GET /audit/export?since=&until=&format=ndjson|csv`: every matching event, streamed;
/// - `GET /audit/verify`: the chain and the signed checkpoints checked, as FHIR `Parameters`.
///
/// Every one of these requests is itself an event in the log (kind `audit.query`). Events never
/// hold a BSN or clinical content, so an export may leave the care relation as it is.
struct AuditRoutes: Sendable {
    let log: AuditLog
    /// Where the audit public key (`audit-signing.key.pub`) is read for `verify`.
    let publicKeyFile: String

    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.get("AuditEvent") { request, context in try await search(request, context) }
        group.get("AuditEvent/:id") { request, context in
            try Self.requireAuditor(context)
            let format = try ContentNegotiation.responseFormat(for: request)
            let id = context.parameters.get("id") ?? ""
            let number = id.hasSuffix("-authz") ? String(id.dropLast(6)) : id
            guard let sequence = Int64(number), sequence >= 1,
                let record = try await log.records(from: sequence, limit: 1).first, record.sequence == sequence,
                let resource = AuditEventRendering.resources(record).first(where: { $0.id == id })
            else { throw GatewayError(.notFound, .notFound, "no audit event \(id)") }
            return FHIRResponses.resource(resource, format: format, pretty: ContentNegotiation.isPretty(request))
        }
        group.get("export") { request, context in try await export(request, context) }
        group.get("verify") { request, context in try await verify(request, context) }
    }

    static func requireAuditor(_ context: GatewayRequestContext) throws {
        guard context.caller?.party.kind == .auditor else {
            throw GatewayError.forbidden("the audit log is open to auditors only")
        }
    }

    private func parameters(_ request: Request) throws -> [(name: String, value: String)] {
        do {
            return try QueryString.parse(request.uri.query ?? "", form: false)
        } catch {
            throw GatewayError.invalid("the query has a malformed percent-encoding")
        }
    }

    private func search(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try Self.requireAuditor(context)
        let format = try ContentNegotiation.responseFormat(for: request)
        let parameters = try parameters(request)
        let search = try AuditQueryParameters(parameters)
        let page = try await log.search(search.query, count: search.count)
        let base = BaseURL.of(request) + "/audit/AuditEvent"
        let echoed = parameters.filter { $0.name != "_cursor" }
        func link(_ extra: [(name: String, value: String)]) -> String {
            let all = echoed + extra
            return all.isEmpty ? base : base + "?" + all.map { "\(QueryString.encode($0.name))=\(QueryString.encode($0.value))" }.joined(separator: "&")
        }
        // Each event with a consent decision is also the BALP decision event: both are matches.
        let bundle = SearchsetBundle(
            id: UUID().uuidString.lowercased(), total: page.total + page.withDecision,
            selfLink: link(search.query.after.map { [("_cursor", String($0))] } ?? []),
            nextLink: page.next.map { link([("_cursor", String($0))]) },
            entries: page.records.flatMap { record in
                AuditEventRendering.resources(record).map { resource in
                    .init(fullUrl: "\(base)/\(resource.id ?? String(record.sequence))", resource: resource, mode: .match)
                }
            })
        context.audit.update { $0.detail = "auditor search: \(page.records.count) of \(page.total) event(s)" }
        return FHIRResponses.resource(bundle.resource, format: format, pretty: ContentNegotiation.isPretty(request))
    }

    private func export(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try Self.requireAuditor(context)
        let parameters = try parameters(request)
        let search = try AuditQueryParameters(parameters.filter { !["_count", "_cursor"].contains($0.name) })
        let format = parameters.last { $0.name == "format" }?.value ?? "ndjson"
        guard let export = AuditExportFormat(rawValue: format) else {
            throw GatewayError.invalid("format must be ndjson or csv, not \(format)")
        }
        context.audit.update { $0.detail = "auditor export (\(export.rawValue))" }
        let records = log.records(matching: search.query)
        let body = ResponseBody { writer in
            if let header = export.header { try await writer.write(ByteBuffer(string: header)) }
            for try await record in records {
                try await writer.write(ByteBuffer(bytes: export.line(record)))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: export.contentType, .cacheControl: "no-store"], body: body)
    }

    private func verify(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try Self.requireAuditor(context)
        let format = try ContentNegotiation.responseFormat(for: request)
        let verification: AuditVerification
        var checkedCheckpoints = false
        if let keyText = try? String(contentsOfFile: publicKeyFile, encoding: .utf8) {
            verification = try await log.verify(publicKey: try AuditSigningKey.publicKey(hex: keyText))
            checkedCheckpoints = true
        } else {
            verification = try await log.verify()
        }
        var parameters: [FHIRValue] = [
            ["name": "intact", "valueBoolean": .boolean(verification.isIntact)],
            ["name": "checkpointsChecked", "valueBoolean": .boolean(checkedCheckpoints)],
            ["name": "checkpoints", "valueInteger": .number(FHIRNumber(try await log.checkpoints().count))],
            ["name": "summary", "valueString": .string(verification.description)],
        ]
        switch verification {
        case .intact(let count, _):
            parameters.append(["name": "events", "valueInteger": .number(FHIRNumber(Int(count)))])
        case .broken(let sequence, let reason):
            parameters.append(["name": "firstBadEvent", "valueInteger": .number(FHIRNumber(Int(sequence)))])
            parameters.append(["name": "reason", "valueString": .string(reason.description)])
        }
        context.audit.update { $0.detail = "auditor verify: \(verification.isIntact ? "intact" : "broken")" }
        let resource = try FHIRResource(["resourceType": "Parameters", "parameter": .array(parameters)])
        return FHIRResponses.resource(resource, format: format, pretty: ContentNegotiation.isPretty(request))
    }
}
