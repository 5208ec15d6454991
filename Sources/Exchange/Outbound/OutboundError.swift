/// Why an outbound request to another MedMij node failed. Each case names one thing that went wrong,
/// so the collect flow can tell the patient (and the audit log) which: the peer was down, too slow,
/// not who it claimed to be, not allowed, or answered something unusable.
///
/// No case carries a response body: a provider's error text may quote clinical data or tokens.
public enum OutboundError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL is not `https://host[:port]/…`.
    case invalidURL(String)
    /// A MedMij Whitelist is in force and the host is not on it; nothing was sent.
    case notOnWhitelist(host: String)
    /// The gateway's own certificate, key or the endpoint's trust anchors cannot be used.
    case credentialsUnusable(path: String, reason: String)
    /// No connection could be made (refused, no route, name not resolved).
    case unreachable(host: String, reason: String)
    /// Connecting or answering took longer than allowed.
    case timeout(host: String, limitSeconds: Int)
    /// The server's certificate does not chain to the endpoint's trust anchors (or is expired).
    case untrustedCertificate(host: String, reason: String)
    /// The server's certificate is trusted but not issued for the host the URL names.
    case wrongHost(host: String)
    /// The TLS handshake failed otherwise: no common version or cipher suite, or our certificate refused.
    case tlsHandshakeFailed(host: String, reason: String)
    /// The connection closed before a complete answer arrived.
    case connectionClosed(host: String)
    /// The server answered with a status other than the one expected.
    case httpStatus(Int, host: String)
    /// The answer was larger than the gateway accepts.
    case responseTooLarge(limitBytes: Int)
    /// A resource answer that is not a FHIR JSON resource (or not the kind asked for).
    case malformedFHIR(reason: String)
    /// A token answer that is not the JSON RFC 6749 §5.1 describes.
    case malformedTokenResponse(reason: String)
    /// An OAuth error answer from the token endpoint (RFC 6749 §5.2): its `error` code only.
    case oauthError(code: String, status: Int)

    public var description: String {
        switch self {
        case .invalidURL(let url): "'\(url)' is not an https URL with a host"
        case .notOnWhitelist(let host): "\(host) is not on the MedMij Whitelist in force; no connection was made"
        case .credentialsUnusable(let path, let reason): "TLS material \(path) cannot be used: \(reason)"
        case .unreachable(let host, let reason): "\(host) cannot be reached: \(reason)"
        case .timeout(let host, let seconds): "\(host) did not answer within \(seconds) s"
        case .untrustedCertificate(let host, let reason): "the certificate of \(host) is not trusted for this endpoint: \(reason)"
        case .wrongHost(let host): "the certificate presented by \(host) is not issued for \(host)"
        case .tlsHandshakeFailed(let host, let reason): "the TLS handshake with \(host) failed: \(reason)"
        case .connectionClosed(let host): "\(host) closed the connection before answering completely"
        case .httpStatus(let status, let host): "\(host) answered HTTP \(status)"
        case .responseTooLarge(let limit): "the answer is larger than \(limit) bytes"
        case .malformedFHIR(let reason): "the answer is not usable FHIR: \(reason)"
        case .malformedTokenResponse(let reason): "the token answer is not usable: \(reason)"
        case .oauthError(let code, let status): "the token endpoint refused with \(code) (HTTP \(status))"
        }
    }

    /// Whether trying again later may succeed: the peer was down, slow or cut off, or answered 5xx/429.
    /// Trust, whitelist and protocol faults do not heal by themselves.
    public var isTransient: Bool {
        switch self {
        case .unreachable, .timeout, .connectionClosed: true
        case .httpStatus(let status, _): status >= 500 || status == 429
        default: false
        }
    }
}
