import FHIR
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Read, vread and history of single resources: `GET /fhir/{type}/{id}`, `…/_history`, `…/_history/{vid}`.
///
/// A resource the consent does not cover answers 404 like one that does not exist (the audit event
/// records the deny); only then is `If-None-Match` looked at, so a 304 reveals nothing either.
struct ResourceRoutes: Sendable {
    let repository: ResourceRepository
    let policy: ConsentPolicy

    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.get(":type/:id") { request, context in try await read(request, context) }
        group.get(":type/:id/_history") { request, context in try await history(request, context) }
        group.get(":type/:id/_history/:vid") { request, context in try await read(request, context) }
    }

    private func read(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let (type, id) = try FHIRPathParameters.typeAndID(context)
        let format = try ContentNegotiation.responseFormat(for: request)
        var version: Int?
        if let vid = context.parameters.get("vid") {
            guard let number = Int(vid), number > 0 else { throw GatewayError.invalid("'\(vid)' is not a version id") }
            version = number
        }
        let check = try await policy.check(request, context: context)
        let notFound = version.map { GatewayError(.notFound, .notFound, "\(type)/\(id) has no version \($0)") } ?? .notFound(type, id)
        guard let stored = try await repository.read(type: type, id: id, version: version, scope: check.scope) else {
            throw notFound
        }
        guard check.decide(stored).permit else {
            check.audit(permitted: 0, denied: 1, in: context)
            throw notFound
        }
        check.audit(permitted: 1, denied: 0, in: context)
        if FHIRResponses.matchesIfNoneMatch(request, version: stored.version) {
            return FHIRResponses.notModified(version: stored.version)
        }
        context.audit.disclosed([version == nil ? stored.reference : "\(stored.reference)/_history/\(stored.version)"])
        return try FHIRResponses.stored(stored, format: format, pretty: ContentNegotiation.isPretty(request))
    }

    private func history(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let (type, id) = try FHIRPathParameters.typeAndID(context)
        let format = try ContentNegotiation.responseFormat(for: request)
        let check = try await policy.check(request, context: context)
        guard let visible = try await repository.history(type: type, id: id, scope: check.scope) else {
            throw GatewayError.notFound(type, id)
        }
        // Each version is decided on its own content: an older version may fall outside what a newer
        // one is permitted by (another category, another date).
        let versions = visible.filter { check.decide($0).permit }
        check.audit(permitted: versions.count, denied: visible.count - versions.count, in: context)
        guard !versions.isEmpty else { throw GatewayError.notFound(type, id) }
        let base = BaseURL.of(request)
        var bundle: FHIRObject = [
            "resourceType": "Bundle", "id": .string(UUID().uuidString.lowercased()), "type": "history",
            "total": .number(FHIRNumber(versions.count)),
            "link": [["relation": "self", "url": .string(base + request.uri.description)]],
        ]
        var entries = [FHIRValue]()
        for stored in versions {
            entries.append([
                "fullUrl": .string("\(base)/fhir/\(stored.reference)"),
                "resource": .object(try stored.resource().content),
                "request": ["method": stored.version == 1 ? "POST" : "PUT", "url": .string(stored.type + (stored.version == 1 ? "" : "/\(stored.id)"))],
                "response": ["status": stored.version == 1 ? "201" : "200", "etag": .string(FHIRResponses.etag(version: stored.version)), "lastModified": .string(stored.lastUpdated)],
            ])
        }
        bundle["entry"] = .array(entries)
        context.audit.disclosed(versions.map { "\($0.reference)/_history/\($0.version)" })
        return FHIRResponses.resource(try FHIRResource(bundle), format: format, pretty: ContentNegotiation.isPretty(request))
    }
}

/// The `{type}` and `{id}` path parameters, checked.
enum FHIRPathParameters {
    static func type(_ context: GatewayRequestContext) throws -> String {
        guard let type = context.parameters.get("type"), FHIRSchema.stu3.isResourceType(type) else {
            throw GatewayError.unknownResourceType(context.parameters.get("type") ?? "")
        }
        return type
    }

    static func typeAndID(_ context: GatewayRequestContext) throws -> (String, String) {
        let type = try type(context)
        guard let id = context.parameters.get("id"), StoreError.isValidID(id) else {
            throw GatewayError.invalid("'\(context.parameters.get("id") ?? "")' is not a valid resource id")
        }
        return (type, id)
    }
}

/// The absolute base of this server as the client addressed it, for `fullUrl` and links.
enum BaseURL {
    static func of(_ request: Request) -> String {
        let host = request.head.authority ?? "localhost"
        // A Host header is client input: keep only characters that can appear in a host and port.
        let safe = host.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || "0123456789.-:[]".unicodeScalars.contains($0) }
        return "https://" + (safe ? host : "localhost")
    }
}
