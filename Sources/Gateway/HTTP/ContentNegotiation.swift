import FHIR
import Foundation
import HTTPTypes
import Hummingbird

/// Chooses the response format from `_format` (which wins, as FHIR specifies) or `Accept`.
///
/// ```swift
/// let format = try ContentNegotiation.responseFormat(for: request)   // .json unless asked otherwise
/// ```
public enum ContentNegotiation {
    /// The format for a response, or a 406 when the client accepts nothing we can produce.
    public static func responseFormat(for request: Request) throws(GatewayError) -> FHIRFormat {
        if let format = request.uri.queryParameters["_format"].map(String.init) {
            guard let chosen = formatNamed(format) else {
                throw GatewayError(
                    .notAcceptable, .notSupported,
                    "_format '\(format)' is not supported; use json, xml, application/fhir+json or application/fhir+xml")
            }
            return chosen
        }
        guard let accept = request.headers[.accept], !accept.isEmpty else { return .json }
        // Most clients name one media type without parameters; only a list needs parsing.
        if let format = formatNamed(accept) { return format }
        var best: (format: FHIRFormat, quality: Double)?
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let type = parts.first?.lowercased() else { continue }
            let quality = parts.dropFirst().compactMap { parameter -> Double? in
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == "q" else { return nil }
                return Double(pair[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 1
            guard quality > 0, let format = formatNamed(type) ?? (type == "*/*" || type == "application/*" ? .json : nil)
            else { continue }
            if let current = best, quality <= current.quality { continue }
            best = (format, quality)
        }
        guard let best else {
            throw GatewayError(
                .notAcceptable, .notSupported,
                "none of the media types in Accept can be produced; use application/fhir+json or application/fhir+xml")
        }
        return best.format
    }

    /// The format of a request body, or a 415 naming the media type that cannot be read.
    public static func requestFormat(for request: Request) throws(GatewayError) -> FHIRFormat {
        guard let contentType = request.headers[.contentType] else {
            throw GatewayError(
                .unsupportedMediaType, .notSupported, "the request has a body but no Content-Type; use application/fhir+json or application/fhir+xml")
        }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let format = formatNamed(mediaType) else {
            throw GatewayError(
                .unsupportedMediaType, .notSupported,
                "Content-Type '\(mediaType)' is not supported; use application/fhir+json or application/fhir+xml")
        }
        return format
    }

    /// Whether `_pretty=true` was asked for.
    public static func isPretty(_ request: Request) -> Bool {
        request.uri.queryParameters["_pretty"] == "true"
    }

    static func formatNamed(_ name: String) -> FHIRFormat? {
        switch name.lowercased() {
        case "json", "application/fhir+json", "application/json", "application/json+fhir": .json
        case "xml", "application/fhir+xml", "application/xml", "text/xml", "application/xml+fhir": .xml
        default: nil
        }
    }
}
