import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate authority that signs end-entity certificates with ECDSA P-256, for the development PKI and tests.
///
/// It can issue anything a test needs (expired certificates, certificates from a foreign root, URA in either SAN
/// form), so it must never back a production deployment.
///
/// ```swift
/// let now = Date()
/// let ca = try CertificateAuthority.makeRoot(
///     commonName: "Test Root", notValidBefore: now, notValidAfter: now + 86_400)
/// let leaf = try ca.issue(LeafCertificateRequest(
///     commonName: "localhost", dnsNames: ["localhost"], usages: [.server],
///     notValidBefore: now, notValidAfter: now + 3_600))
/// ```
public struct CertificateAuthority: Sendable {
    public let certificate: Certificate
    public let privateKey: Certificate.PrivateKey
    public let certificatePEM: String
    /// PKCS#8 (`BEGIN PRIVATE KEY`). Secret: write it only to a 0600 file, never to a log.
    public let privateKeyPEM: String

    /// Creates a self-signed root: CA:true (critical, path length 0: it signs end entities only),
    /// keyUsage keyCertSign + cRLSign (critical) and a subjectKeyIdentifier.
    public static func makeRoot(commonName: String, notValidBefore: Date, notValidAfter: Date) throws
        -> CertificateAuthority
    {
        guard !commonName.isEmpty else { throw CertificateAuthorityError.emptyCommonName }
        guard notValidAfter > notValidBefore else { throw CertificateAuthorityError.invalidValidityPeriod }
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName { CommonName(commonName) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: key.publicKey)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: .randomPositive(),
            publicKey: key.publicKey,
            notValidBefore: notValidBefore,
            notValidAfter: notValidAfter,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: key
        )
        return try CertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// Rebuilds a CA from its PEM files, e.g. the dev PKI's `ca.crt` and `ca.key`.
    public init(certificatePEM: String, privateKeyPEM: String) throws {
        let certificate: Certificate
        let privateKey: Certificate.PrivateKey
        do {
            certificate = try Certificate(pemEncoded: certificatePEM)
            privateKey = try Certificate.PrivateKey(pemEncoded: privateKeyPEM)
        } catch {
            // The parser's message describes structure only; it never quotes the key.
            throw CertificateAuthorityError.malformedPEM(reason: String(describing: error))
        }
        guard privateKey.publicKey == certificate.publicKey else {
            throw CertificateAuthorityError.privateKeyDoesNotMatchCertificate
        }
        guard case .isCertificateAuthority = try certificate.extensions.basicConstraints else {
            throw CertificateAuthorityError.notACertificateAuthority
        }
        try self.init(certificate: certificate, privateKey: privateKey)
    }

    private init(certificate: Certificate, privateKey: Certificate.PrivateKey) throws {
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificatePEM = try certificate.serializeAsPEM().pemFileContents
        self.privateKeyPEM = try privateKey.serializeAsPEM().pemFileContents
    }

    /// Issues an end-entity certificate with a fresh P-256 key.
    ///
    /// The certificate gets CA:false and keyUsage digitalSignature (both critical), the requested EKUs,
    /// a SAN with the requested names (not critical: the subject is never empty), and key identifiers.
    public func issue(_ request: LeafCertificateRequest) throws -> IssuedCertificate {
        try request.validate()
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let usages = LeafCertificateRequest.Usage.allCases.filter(request.usages.contains).map { usage in
            switch usage {
            case .server: ExtendedKeyUsage.Usage.serverAuth
            case .client: ExtendedKeyUsage.Usage.clientAuth
            }
        }
        let names = try request.subjectAlternativeNames
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage(usages)
            if !names.isEmpty {
                SubjectAlternativeNames(names)
            }
            SubjectKeyIdentifier(hash: key.publicKey)
            AuthorityKeyIdentifier(keyIdentifier: try issuerKeyIdentifier)
        }
        let leaf = try Certificate(
            version: .v3,
            serialNumber: .randomPositive(),
            publicKey: key.publicKey,
            notValidBefore: request.notValidBefore,
            notValidAfter: request.notValidAfter,
            issuer: certificate.subject,
            subject: try request.subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: privateKey
        )
        return try IssuedCertificate(certificate: leaf, privateKey: key, issuerPEM: certificatePEM)
    }

    /// The CA's subjectKeyIdentifier, or one derived from its key for CAs made elsewhere without one.
    private var issuerKeyIdentifier: ArraySlice<UInt8> {
        get throws {
            try certificate.extensions.subjectKeyIdentifier?.keyIdentifier
                ?? SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
        }
    }
}

extension CertificateAuthority: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    // The default descriptions would print privateKeyPEM; these name the CA only.
    public var description: String { "CertificateAuthority(\(certificate.subject.rfc4514String))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["subject": certificate.subject.rfc4514String]) }
}

extension Certificate.SerialNumber {
    /// 16 random bytes with the top bit cleared (a positive INTEGER) and the next one set (no leading zero
    /// octets to strip), giving 126 bits of CSPRNG output as the CA/B Baseline Requirements ask for at least 64.
    static func randomPositive() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }
}
