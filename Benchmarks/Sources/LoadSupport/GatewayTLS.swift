import NIOSSL

/// The back listener's TLS settings, as `Sources/Gateway/TLS/TLSSetup.swift` builds them with
/// `TLSPolicy.harden` (Sources/Exchange/TLSPolicy.swift). The gateway exports no library yet, so this
/// is a copy; keep the two equal. The trivial server uses it so that the "limit" it measures is the
/// same TLS work the gateway does.
public enum GatewayTLS {
    /// TLS 1.2 suites of the NCSC "good" list, the gateway's `TLSPolicy.tls12CipherSuites`.
    public static let tls12CipherSuites = [
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
    ].joined(separator: ":")

    /// Mutual TLS with the data directory's dev PKI: `pki/server.crt`, `pki/server.key`, `pki/ca.crt`.
    public static func backServer(pki: String) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: try NIOSSLCertificate.fromPEMFile("\(pki)/server.crt").map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: "\(pki)/server.key", format: .pem)),
            trustRoots: .certificates(try NIOSSLCertificate.fromPEMFile("\(pki)/ca.crt")))
        configuration.certificateVerification = .noHostnameVerification
        configuration.sendCANameList = true
        configuration.minimumTLSVersion = .tlsv12
        configuration.maximumTLSVersion = .tlsv13
        configuration.cipherSuites = tls12CipherSuites
        return configuration
    }
}
