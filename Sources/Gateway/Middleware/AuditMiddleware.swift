import Audit
import FHIR
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store

/// Writes one audit event for every request, before the response leaves.
///
/// It wraps everything but the request limits on both listeners. It also turns every error into the response the client
/// gets, because it must know the final status to log it; and when the event cannot be written, the
/// prepared response is dropped and the client gets a 500: nothing is disclosed that was not logged.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let log: any AuditSink
    let channel: AuditEvent.Channel
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let gatewayError = Self.gatewayError(for: error, request: request, maxBodySize: context.maxBodySize)
            if gatewayError.status == .internalServerError {
                // The type name only: error descriptions may carry clinical content or identifiers.
                logger.error("request failed", metadata: ["error.type": "\(type(of: error))", "request.id": "\(context.id)"])
            }
            context.audit.update { $0.detail = $0.detail ?? gatewayError.auditDetail ?? gatewayError.diagnostics }
            response = ErrorRendering.response(for: gatewayError, request: request, context: context, channel: channel)
        }

        let notes = context.audit.current
        let status = Int(response.status.code)
        let kind = notes.kind ?? AuditEventClassification.kind(method: request.method.rawValue, path: request.uri.path, status: status)
        let event = AuditEvent(
            recorded: Instant.format(Date()), channel: channel, method: request.method.rawValue,
            path: AuditRedaction.redactingBSNs(request.uri.description), status: status,
            partyID: notes.partyID, partyKind: notes.partyKind, certificateFingerprint: notes.certificateFingerprint,
            patientID: notes.patientID, entities: notes.entities,
            clientAddress: context.channel.remoteAddress.flatMap { Self.describe($0) },
            requestID: Self.header(Self.medMijRequestID, of: request), correlationID: Self.header(Self.correlationID, of: request),
            detail: notes.detail, decision: notes.decision, kind: kind, userID: notes.userID)
        do {
            try await log.record(event)
        } catch {
            logger.critical("audit log write failed; refusing to answer", metadata: ["error.type": "\(type(of: error))"])
            return ErrorRendering.response(
                for: GatewayError(.internalServerError, .exception, "the access could not be logged, so nothing is disclosed"),
                request: request, context: context, channel: channel)
        }
        Self.echoCorrelationHeaders(from: request, into: &response)
        return response
    }

    // Optional only because HTTPField.Name validates at run time; both literals are valid tokens.
    static let medMijRequestID = HTTPField.Name("MedMij-Request-ID")
    static let correlationID = HTTPField.Name("X-Correlation-ID")

    static func header(_ name: HTTPField.Name?, of request: Request) -> String? {
        name.flatMap { request.headers[$0] }
    }

    /// MedMij asks for the request and correlation ids to be echoed.
    static func echoCorrelationHeaders(from request: Request, into response: inout Response) {
        for name in [medMijRequestID, correlationID].compactMap({ $0 }) {
            if let value = request.headers[name], value.utf8.count <= 200 { response.headers[name] = value }
        }
    }

    static func gatewayError(for error: any Error, request: Request, maxBodySize: Int) -> GatewayError {
        switch error {
        case let error as GatewayError:
            return error
        case let error as HTTPResponseError:
            switch error.status {
            case .notFound:
                return GatewayError(.notFound, .notFound, "no such endpoint: \(request.method.rawValue) \(request.uri.path)")
            case .contentTooLarge:
                return GatewayError(.contentTooLarge, .tooLong, "the request body exceeds the limit of \(maxBodySize) bytes")
            case .methodNotAllowed:
                return GatewayError(.methodNotAllowed, .notSupported, "\(request.method.rawValue) is not allowed on \(request.uri.path)")
            default:
                return GatewayError(error.status, .processing, error.status.reasonPhrase)
            }
        default:
            return .internalError
        }
    }

    static func describe(_ address: SocketAddress) -> String? {
        guard let ip = address.ipAddress else { return nil }
        return address.port.map { "\(ip):\($0)" } ?? ip
    }
}
