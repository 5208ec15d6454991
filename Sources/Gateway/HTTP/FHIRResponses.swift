import FHIR
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store

/// Builds FHIR responses with the headers FHIR clients rely on.
public enum FHIRResponses {
    /// A resource or Bundle in the negotiated format.
    public static func resource(
        _ resource: FHIRResource, format: FHIRFormat, pretty: Bool, status: HTTPResponse.Status = .ok,
        extraHeaders: HTTPFields = [:]
    ) -> Response {
        body(format.serialize(resource, pretty: pretty), format: format, status: status, extraHeaders: extraHeaders)
    }

    /// A stored resource: sent as stored when JSON is wanted (no re-serialisation), converted otherwise.
    /// Carries `ETag` and `Last-Modified` for caching and conditional requests.
    public static func stored(_ stored: StoredResource, format: FHIRFormat, pretty: Bool) throws -> Response {
        var headers = HTTPFields()
        headers[.eTag] = etag(version: stored.version)
        if let millis = Instant.milliseconds(parsing: stored.lastUpdated) {
            headers[.lastModified] = Instant.httpDate(milliseconds: millis)
        }
        headers[.contentLocation] = "/fhir/\(stored.type)/\(stored.id)/_history/\(stored.version)"
        if format == .json, !pretty {
            return body(stored.contentJSON, format: .json, status: .ok, extraHeaders: headers)
        }
        return resource(try stored.resource(), format: format, pretty: pretty, extraHeaders: headers)
    }

    public static func body(_ bytes: [UInt8], format: FHIRFormat, status: HTTPResponse.Status, extraHeaders: HTTPFields = [:])
        -> Response
    {
        var headers = extraHeaders
        headers[.contentType] = "\(format.mediaType); charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// 304 for a matching `If-None-Match`.
    public static func notModified(version: Int) -> Response {
        Response(status: .notModified, headers: [.eTag: etag(version: version)])
    }

    /// FHIR's weak version ETag, `W/"3"`.
    public static func etag(version: Int) -> String {
        "W/\"\(version)\""
    }

    /// Whether `If-None-Match` names this version (or `*`).
    public static func matchesIfNoneMatch(_ request: Request, version: Int) -> Bool {
        guard let header = request.headers[.ifNoneMatch] else { return false }
        let wanted = etag(version: version)
        return header.split(separator: ",").contains { tag in
            let tag = tag.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == wanted || tag == "\"\(version)\""
        }
    }
}
