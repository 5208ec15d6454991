import Foundation
import NIOSSL

/// The TLS material for one provider endpoint: which of the gateway's client certificates to present,
/// and which anchors the provider's server certificate must chain to.
///
/// The anchors are per endpoint and never the system store: MedMij backchannel peers carry PKIoverheid
/// Private Services G1 certificates, which no operating system trusts, and a certificate from the
/// public web PKI must not pass for a MedMij node.
///
/// ```swift
/// let credentials = OutboundCredentials(
///     clientCertificatePath: "/etc/zorgnet/tls/client.crt", clientKeyPath: "/etc/zorgnet/tls/client.key",
///     trustAnchorsPath: "/etc/zorgnet/trust/pkioverheid-private-g1.pem")
/// ```
public struct OutboundCredentials: Sendable, Hashable, Codable {
    /// PEM chain the gateway presents, leaf first.
    public var clientCertificatePath: String
    /// PEM private key of that certificate; mode 0600.
    public var clientKeyPath: String
    /// PEM certificates the provider's server certificate must chain to.
    public var trustAnchorsPath: String

    public init(clientCertificatePath: String, clientKeyPath: String, trustAnchorsPath: String) {
        self.clientCertificatePath = clientCertificatePath
        self.clientKeyPath = clientKeyPath
        self.trustAnchorsPath = trustAnchorsPath
    }

    /// Reads the files and builds the client configuration. Refuses a key readable by group or others,
    /// as the gateway refuses such keys for its listeners.
    public func tlsConfiguration() throws(OutboundError) -> TLSConfiguration {
        let chain = try Self.read(clientCertificatePath) { try NIOSSLCertificate.fromPEMFile($0) }
        guard !chain.isEmpty else { throw .credentialsUnusable(path: clientCertificatePath, reason: "no certificate in the file") }
        try Self.checkPrivate(clientKeyPath)
        let key = try Self.read(clientKeyPath) { try NIOSSLPrivateKey(file: $0, format: .pem) }
        let anchors = try Self.read(trustAnchorsPath) { try NIOSSLCertificate.fromPEMFile($0) }
        guard !anchors.isEmpty else { throw .credentialsUnusable(path: trustAnchorsPath, reason: "no certificate in the file") }

        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(anchors)
        configuration.additionalTrustRoots = []
        configuration.certificateVerification = .fullVerification
        configuration.certificateChain = chain.map { .certificate($0) }
        configuration.privateKey = .privateKey(key)
        // TLS 1.2+ with ECDHE and AEAD only, as the listeners; hostname verification stays on: the
        // certificate must be issued for the host in the URL.
        TLSPolicy.harden(&configuration)
        configuration.renegotiationSupport = .none
        return configuration
    }

    private static func read<T>(_ path: String, _ load: (String) throws -> T) throws(OutboundError) -> T {
        guard FileManager.default.fileExists(atPath: path) else { throw .credentialsUnusable(path: path, reason: "no such file") }
        do {
            return try load(path)
        } catch {
            throw .credentialsUnusable(path: path, reason: "not readable as PEM (\(type(of: error)))")
        }
    }

    private static func checkPrivate(_ path: String) throws(OutboundError) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value
        else { throw .credentialsUnusable(path: path, reason: "no such file") }
        guard mode & 0o077 == 0 else {
            throw .credentialsUnusable(path: path, reason: "mode \(String(mode, radix: 8)); a private key must be 600")
        }
    }
}
