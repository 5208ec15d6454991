import FHIR
import Hummingbird

/// Refuses, with 400 and before anything else is done, every request whose URL holds a BSN: in the
/// path or in any query value. MedMij: the patient comes from the token, and a BSN in a URL ends up
/// in proxies' and servers' logs.
///
/// The value itself is never echoed; the audit log masks it (``AuditRedaction``).
struct BSNInURLMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if BSNInURL.found(path: request.uri.path, query: request.uri.query ?? "") {
            throw GatewayError(
                .badRequest, .security, "a BSN must never appear in a URL; the patient is determined by the access token")
        }
        return try await next(request, context)
    }
}

/// The rule that decides what in a URL is a BSN.
///
/// **A BSN-shaped number** is a maximal run of exactly nine digits that passes the eleven-test (and
/// is not all zeros), and that no other hexadecimal character (0-9, a-f, A-F) touches on either side.
/// The last condition keeps server ids safe: in a UUID or a hex digest (`pzc-…-3f123456789a`) a run of
/// digits always touches hex letters, while a BSN written in a URL stands on its own
/// (`Patient/999911120`, `…|999911120`, `bsn:999911120`, `_id=999911120`).
///
/// **Where it is looked for:** every path segment and every query value (percent-decoded), whatever
/// the parameter: `_id`, `identifier`, chained and reverse-chained parameters, `_cursor` …
///
/// **The one exemption: codes.** A SNOMED CT code such as `275711006` passes the eleven-test too, so
/// the values of *concept* parameters are not looked into: token search parameters (per the search
/// registry of the resource type in the path) whose every path ends in a `code`, `Coding` or
/// `CodeableConcept` — `code`, `category`, `value-concept`, `component-code` … — used bare or with
/// `:not`, `:above` or `:below`, in both forms `code` and `system|code`, unless the system is a BSN
/// naming system. Identifier tokens (`identifier`), text searches (`code:text`), string, reference
/// and every other parameter are always looked into.
///
/// ```swift
/// BSNInURL.found(path: "/fhir/Patient/999911120", query: "")                                  // true
/// BSNInURL.found(path: "/fhir/Observation", query: "_id=999911120")                           // true
/// BSNInURL.found(path: "/fhir/Observation", query: "category=http://snomed.info/sct%7C275711006")  // false
/// ```
enum BSNInURL {
    /// The BSN naming system as URI and as OID, lower-cased for comparison.
    static let bsnSystems: Set<String> = ["http://fhir.nl/fhir/namingsystem/bsn", "urn:oid:2.16.840.1.113883.2.4.6.3"]
    /// Modifiers under which a concept parameter's value is still a code.
    static let codeModifiers: Set<String> = ["not", "above", "below"]
    static let conceptTypes: Set<String> = ["code", "Coding", "CodeableConcept"]

    static func found(path: String, query: String, registry: SearchParameterRegistry = .stu3) -> Bool {
        let segments = path.split(separator: "/").map { decoded($0) }
        if segments.contains(where: containsBSN) { return true }
        let resourceType = segments.first { FHIRSchema.stu3.isResourceType($0) }
        let pairs = (try? QueryString.parse(query, form: false)) ?? [(name: query, value: query)]
        for (name, value) in pairs {
            if containsBSN(name) { return true }
            if let resourceType, isConceptParameter(name, on: resourceType, registry: registry) {
                if conceptValueHoldsBSN(value) { return true }
            } else if containsBSN(value) {
                return true
            }
        }
        return false
    }

    /// In a concept parameter only a BSN system can make a value a BSN; each `,`-separated
    /// alternative is a code or `system|code`.
    static func conceptValueHoldsBSN(_ value: String) -> Bool {
        value.split(separator: ",").contains { alternative in
            guard let bar = alternative.firstIndex(of: "|") else { return false }
            return bsnSystems.contains(alternative[..<bar].lowercased())
        }
    }

    static func isConceptParameter(_ name: String, on resourceType: String, registry: SearchParameterRegistry) -> Bool {
        let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
        guard let base = parts.first, !base.contains("."), parts.count == 1 || codeModifiers.contains(parts[1]),
              let definition = registry.parameter(base, on: resourceType), definition.type == .token, !definition.paths.isEmpty
        else { return false }
        return definition.paths.allSatisfy { path in
            let types = elementTypes(of: path, on: resourceType)
            return !types.isEmpty && types.isSubset(of: conceptTypes)
        }
    }

    /// The type codes an element path can end in (several for a choice element).
    static func elementTypes(of path: ElementPath, on resourceType: String) -> Set<String> {
        var types: Set<String> = [resourceType]
        for segment in path.segments {
            var next: Set<String> = []
            for type in types {
                guard let definition = FHIRSchema.stu3.type(named: type) else { continue }
                if let element = definition.element(named: segment.name) {
                    next.insert(element.typeCode)
                } else {
                    next.formUnion(definition.elements.filter { $0.choiceGroup == segment.name }.map(\.typeCode))
                }
            }
            types = next
        }
        return types
    }

    /// Whether the text holds a BSN-shaped number (see the type's documentation).
    static func containsBSN(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            guard isDigit(bytes[index]) else {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, isDigit(bytes[end]) { end += 1 }
            let touchesHex = (index > 0 && isHex(bytes[index - 1])) || (end < bytes.count && isHex(bytes[end]))
            if end - index == 9, !touchesHex, BSN.isValid(Substring(decoding: bytes[index..<end], as: UTF8.self)) {
                return true
            }
            index = end
        }
        return false
    }

    private static func decoded(_ segment: Substring) -> String {
        (try? QueryString.decode(segment, form: false)) ?? String(segment)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
