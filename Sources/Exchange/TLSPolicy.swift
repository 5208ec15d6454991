import NIOSSL

/// The one TLS policy of every MedMij connection, inbound (the gateway's listeners) and outbound
/// (``OutboundClient``): TLS 1.2 at least, 1.3 preferred, and for TLS 1.2 only ECDHE key exchange with
/// AES-GCM or ChaCha20-Poly1305 (the NCSC "good" list); TLS 1.3's own suites are all AEAD. Kept here,
/// in the module both sides import, so the two directions cannot drift apart.
public enum TLSPolicy {
    public static let tls12CipherSuites = [
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
    ].joined(separator: ":")

    /// Applies the versions and suites to a client or server configuration.
    public static func harden(_ configuration: inout TLSConfiguration) {
        configuration.minimumTLSVersion = .tlsv12
        configuration.maximumTLSVersion = .tlsv13
        configuration.cipherSuites = tls12CipherSuites
    }
}
