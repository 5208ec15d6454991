import Audit
import FHIR
import Foundation
import Hummingbird
import Store
import Synchronization

/// How many requests one listener works on at once, and the ones it turned away.
///
/// Past the limit a request is answered at once with 503 and `Retry-After` instead of queueing behind
/// the others until the client times out: under overload the gateway stays inside its latency budget
/// for the requests it does take, and a client learns right away when to come back.
///
/// A turned-away request has read and changed nothing, and auditing each one would spend the very
/// writes the overload is short of; so they are counted and reported as one `service.overload` event
/// per burst: the first refusal after a quiet spell at once, later ones at most every
/// ``reportInterval``, with how many there were.
final class RequestCapacity: Sendable {
    let limit: Int
    let channel: AuditEvent.Channel
    static let reportInterval: TimeInterval = 10
    static let retryAfterSeconds = 1
    private let inProgress = Atomic<Int>(0)
    private let refusals = Mutex(Refusals())
    private let report: @Sendable (AuditEvent) -> Void

    private struct Refusals {
        var unreported = 0
        var lastReport = Date.distantPast
    }

    init(limit: Int, channel: AuditEvent.Channel, report: @escaping @Sendable (AuditEvent) -> Void) {
        self.limit = limit
        self.channel = channel
        self.report = report
    }

    /// Takes a place when one is free.
    func enter() -> Bool {
        let now = inProgress.wrappingAdd(1, ordering: .relaxed).newValue
        if now <= limit { return true }
        inProgress.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    func leave() {
        inProgress.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Counts one refusal and reports the burst when it is time.
    func refused(method: String, path: String) {
        let now = Date()
        let count: Int? = refusals.withLock { state in
            state.unreported += 1
            guard now.timeIntervalSince(state.lastReport) >= Self.reportInterval else { return nil }
            defer { state = Refusals(unreported: 0, lastReport: now) }
            return state.unreported
        }
        guard let count else { return }
        report(AuditEvent(
            recorded: Instant.format(now), channel: channel, method: method, path: AuditRedaction.redactingBSNs(path), status: 503,
            partyID: nil, partyKind: nil, certificateFingerprint: nil, patientID: nil, entities: [], clientAddress: nil,
            requestID: nil, correlationID: nil,
            detail: "\(count) request(s) answered 503: \(limit) already in progress on this listener (the last one is named here)",
            decision: nil, kind: .overload, userID: nil))
    }
}

/// Sheds load past the listener's ``RequestCapacity`` (see there). The outermost middleware, so a
/// request turned away costs no audit write, no token lookup and no database read.
struct LoadSheddingMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let capacity: RequestCapacity

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard capacity.enter() else {
            capacity.refused(method: request.method.rawValue, path: request.uri.path)
            let error = GatewayError(
                .serviceUnavailable, .transient, "the gateway is at capacity; retry after \(RequestCapacity.retryAfterSeconds) s",
                headers: [.retryAfter: String(RequestCapacity.retryAfterSeconds)])
            return ErrorRendering.response(for: error, request: request, context: context, channel: capacity.channel)
        }
        defer { capacity.leave() }
        return try await next(request, context)
    }
}
