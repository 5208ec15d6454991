/// Where the audit middleware writes each request's event before the response leaves.
///
/// The gateway always writes to its ``AuditLog``. The seam exists so that the benchmarks can measure
/// what the durable append costs on the read path by serving the same gateway with a sink that
/// discards (see BENCHMARKS.md, "audit and consent overhead"); `zorgnet serve` has no way to choose one.
///
/// ```swift
/// let sink: any AuditSink = try AuditLog(path: "audit.sqlite")
/// try await sink.record(event)   // returns once the event is durable
/// ```
public protocol AuditSink: Sendable {
    /// Records one event; returns only when it is as durable as the sink promises, and throws when it
    /// could not be recorded (the caller then discloses nothing).
    func record(_ event: AuditEvent) async throws
}

extension AuditLog: AuditSink {
    public func record(_ event: AuditEvent) async throws {
        try await append(event)
    }
}
