import Audit
import FHIR
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Renders a ``GatewayError`` for the client: an OperationOutcome on FHIR endpoints, plain text with
/// a trace id elsewhere. Never a stack trace.
enum ErrorRendering {
    static func response(for error: GatewayError, request: Request, context: GatewayRequestContext, channel: AuditEvent.Channel)
        -> Response
    {
        if request.uri.path.hasPrefix("/fhir") || channel == .back {
            // When the error is the negotiation itself, answer in JSON rather than not at all.
            let format = (try? ContentNegotiation.responseFormat(for: request)) ?? .json
            return FHIRResponses.resource(
                error.outcome.resource, format: format, pretty: ContentNegotiation.isPretty(request), status: error.status,
                extraHeaders: error.headers)
        }
        var headers = error.headers
        headers[.contentType] = "text/plain; charset=utf-8"
        let text = "\(error.status.code) \(error.status.reasonPhrase): \(error.diagnostics)\ntrace id: \(context.id)\n"
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
