import Audit
import Store
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Closes a connection whose request body does not arrive whole within the deadline, and reports
/// connections refused below HTTP (a request the parser rejects) so that they are audited too.
///
/// The head of a request is already bounded: Hummingbird's idle timeout runs from the moment the
/// connection opens (or the previous response ended) and only a complete request head resets it, so a
/// client that dribbles header bytes is closed when it runs out. A body is different: every chunk
/// counts as activity, so a client sending one byte a minute would keep the connection, and a request,
/// open forever. This handler starts a deadline at each request head and closes the connection when
/// the request's end has not arrived in time.
///
/// Neither kind of refusal reaches the router, so the audit middleware never sees it; the handler
/// reports it through `report`, which ``ConnectionRefusalLog`` appends to the audit log.
final class RequestReadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let limit: TimeAmount
    private let channelKind: AuditEvent.Channel
    private let report: @Sendable (AuditEvent) -> Void
    private var deadline: Scheduled<Void>?
    private var current: (method: String, path: String)?

    init(limit: TimeAmount, channel: AuditEvent.Channel, report: @escaping @Sendable (AuditEvent) -> Void) {
        self.limit = limit
        self.channelKind = channel
        self.report = report
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            current = (head.method.rawValue, AuditRedaction.redactingBSNs(head.path ?? ""))
            deadline?.cancel()
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: limit) { [self] in
                refuse(context: context, status: 408, detail: "the request body did not arrive within \(Self.describe(limit))")
                context.close(promise: nil)
            }
        case .body:
            break
        case .end:
            deadline?.cancel()
            deadline = nil
            current = nil
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? HTTPParserError {
            // The parser's case names what was wrong (e.g. invalidHeaderToken for a raw CR or LF in a
            // header); it never carries the offending bytes.
            refuse(context: context, status: 400, detail: "malformed HTTP request: \(error)")
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    private func refuse(context: ChannelHandlerContext, status: Int, detail: String) {
        report(AuditEvent(
            recorded: Instant.format(Date()), channel: channelKind, method: current?.method ?? "-", path: current?.path ?? "-",
            status: status, partyID: nil, partyKind: nil, certificateFingerprint: nil, patientID: nil, entities: [],
            clientAddress: context.channel.remoteAddress.flatMap { AuditMiddleware.describe($0) },
            requestID: nil, correlationID: nil, detail: detail, decision: nil, kind: .connectionRefused, userID: nil))
    }

    private static func describe(_ amount: TimeAmount) -> String {
        let seconds = Double(amount.nanoseconds) / 1e9
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
