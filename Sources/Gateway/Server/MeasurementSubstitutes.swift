import Audit
import Consent

/// Parts of the back listener's read path that the benchmarks replace to measure what they cost.
///
/// The overhead benchmark (BENCHMARKS.md, "audit and consent overhead") serves the same gateway four
/// times: as it is, without the durable audit append, without the per-request consent lookup, and
/// without both, and compares read throughput. Only that benchmark server sets these; they are SPI so
/// that nothing in the gateway itself (and no configuration) can turn audit or consent off.
///
/// ```swift
/// @_spi(Benchmarking) import Gateway
/// let server = GatewayServer(
///     configuration: configuration, logger: logger,
///     substitutes: MeasurementSubstitutes(auditSink: DiscardingSink(), consentSource: nil))
/// ```
@_spi(Benchmarking)
public struct MeasurementSubstitutes: Sendable {
    /// Replaces the audit log as the back listener's sink for request events; nil keeps the log.
    public var auditSink: (any AuditSink)?
    /// Replaces the consent repository as the source of the consents read per request; nil keeps it.
    public var consentSource: (any ConsentSource)?

    public init(auditSink: (any AuditSink)? = nil, consentSource: (any ConsentSource)? = nil) {
        self.auditSink = auditSink
        self.consentSource = consentSource
    }

    /// The gateway as it runs in production: nothing replaced.
    public static let none = MeasurementSubstitutes()
}
