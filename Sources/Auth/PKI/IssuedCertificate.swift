import SwiftASN1
import X509

/// An end-entity certificate with its private key, as returned by ``CertificateAuthority/issue(_:)``.
///
/// ```swift
/// let issued = try ca.issue(request)
/// let identity = CertificateIdentity(issued.certificate)
/// try issued.chainPEM.write(toFile: "client.pem", atomically: true, encoding: .utf8)
/// ```
public struct IssuedCertificate: Sendable {
    public let certificate: Certificate
    public let privateKey: Certificate.PrivateKey
    public let certificatePEM: String
    /// PKCS#8 (`BEGIN PRIVATE KEY`), loadable by `NIOSSLPrivateKey(bytes:format: .pem)`.
    /// Secret: write it only to a 0600 file, never to a log.
    public let privateKeyPEM: String
    /// The leaf followed by the issuing CA, the order TLS peers expect a certificate chain in.
    public let chainPEM: String

    init(certificate: Certificate, privateKey: Certificate.PrivateKey, issuerPEM: String) throws {
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificatePEM = try certificate.serializeAsPEM().pemFileContents
        self.privateKeyPEM = try privateKey.serializeAsPEM().pemFileContents
        self.chainPEM = certificatePEM + issuerPEM
    }
}

extension IssuedCertificate: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    // The default descriptions would print privateKeyPEM; these name the certificate only.
    public var description: String { "IssuedCertificate(\(certificate.subject.rfc4514String))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["subject": certificate.subject.rfc4514String]) }
}

extension PEMDocument {
    /// `pemString` with a final newline, as PEM files conventionally end, so that concatenated files stay valid.
    var pemFileContents: String { pemString.hasSuffix("\n") ? pemString : pemString + "\n" }
}
