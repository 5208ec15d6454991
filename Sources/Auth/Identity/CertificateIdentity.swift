import Crypto
import Foundation
import SwiftASN1
import X509

/// Why bytes could not be read as a certificate.
public enum CertificateIdentityError: Error, Hashable, Sendable {
    /// No bytes were given (for example a TLS peer that sent no certificate).
    case emptyInput
    /// The bytes are not one DER-encoded X.509 certificate; `reason` comes from the ASN.1 parser, never from the input.
    case malformedDER(reason: String)
}

/// Who a certificate says its subject is, in the terms the gateway authorises on.
///
/// It reads identifiers only; it does not validate the chain, the validity period or revocation. Verify the
/// chain first (the TLS layer or X509 `Verifier`), then map the identity against the party registry.
///
/// ```swift
/// let identity = try CertificateIdentity(derEncoded: peerCertificate.toDERBytes())
/// if let ura = identity.ura {
///     // care provider: look up (ura, identity.fingerprintSHA256) in the registry
/// }
/// ```
public struct CertificateIdentity: Sendable, Hashable {
    /// Lowercase hex SHA-256 over the certificate's DER encoding; the key parties are registered under.
    public var fingerprintSHA256: String
    /// The certificate's own serial number, lowercase hex, for display and revocation lists.
    public var certificateSerialNumber: String
    /// Subject CN; nil if absent or ambiguous (several different values).
    public var subjectCommonName: String?
    /// Subject O; nil if absent or ambiguous.
    public var subjectOrganization: String?
    /// Subject attribute serialNumber (2.5.4.5), where PKIoverheid puts the OIN; nil if absent or ambiguous.
    public var subjectSerialNumber: String?
    /// Every SAN dNSName, in certificate order. For a PGO app the hostname is its OAuth client id.
    public var dnsNames: [String]
    /// The care provider's URA (UZI-register abonneenummer), read from the SAN as UZI server certificates carry it.
    ///
    /// Taken from otherName permanentIdentifier with assigner ``DutchCareOID/ura``, else from the otherName 2.5.5.5
    /// compound string. Nil when no such name exists, or when the names in one certificate disagree: a
    /// certificate that names two organisations identifies neither.
    public var ura: String?
    public var notValidBefore: Date
    public var notValidAfter: Date
    /// Issuer DN as an RFC 4514 string, for display and logs.
    public var issuer: String
    /// Subject DN as an RFC 4514 string, for display and logs.
    public var subject: String

    /// Parses one DER-encoded certificate, such as the TLS peer certificate.
    ///
    /// The fingerprint is computed over exactly these bytes.
    public init(derEncoded: [UInt8]) throws(CertificateIdentityError) {
        guard !derEncoded.isEmpty else { throw .emptyInput }
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: derEncoded)
        } catch {
            throw .malformedDER(reason: String(describing: error))
        }
        self.init(certificate, der: derEncoded)
    }

    /// Reads the identity of an already parsed certificate.
    ///
    /// ```swift
    /// let identity = CertificateIdentity(try pki.certificate(.hospitalDemo))
    /// ```
    public init(_ certificate: Certificate) {
        // Certificate.serialize only copies the bytes it was parsed from or signed into, so it does not fail in
        // practice; if it ever did, an empty fingerprint matches no registered party, which fails closed.
        var serializer = DER.Serializer()
        let der = (try? serializer.serialize(certificate)).map { serializer.serializedBytes } ?? []
        self.init(certificate, der: der)
    }

    private init(_ certificate: Certificate, der: [UInt8]) {
        fingerprintSHA256 = der.isEmpty ? "" : CertificateHex.lowercase(SHA256.hash(data: der))
        certificateSerialNumber = CertificateHex.lowercase(certificate.serialNumber.bytes)
        subjectCommonName = certificate.subject.singleStringValue(of: .RDNAttributeType.commonName)
        subjectOrganization = certificate.subject.singleStringValue(of: .RDNAttributeType.organizationName)
        subjectSerialNumber = certificate.subject.singleStringValue(of: DutchCareOID.subjectSerialNumber)
        notValidBefore = certificate.notValidBefore
        notValidAfter = certificate.notValidAfter
        issuer = certificate.issuer.rfc4514String
        subject = certificate.subject.rfc4514String

        // A SAN that does not parse yields no names at all, so such a certificate maps to no client id or URA.
        let names = (try? certificate.extensions.subjectAlternativeNames).flatMap { $0.map(Array.init) } ?? []
        dnsNames = names.compactMap { name in
            if case .dnsName(let dnsName) = name { return dnsName }
            return nil
        }
        ura = Self.ura(in: names)
    }

    private static func ura(in names: [GeneralName]) -> String? {
        var fromPermanentIdentifier: Set<String> = []
        var fromUZICompound: Set<String> = []
        for case .otherName(let otherName) in names {
            guard let value = otherName.value else { continue }
            switch otherName.typeID {
            case DutchCareOID.permanentIdentifier:
                guard let identifier = try? PermanentIdentifier(asn1Any: value),
                    identifier.assigner == DutchCareOID.ura,
                    let ura = identifier.identifierValue
                else { continue }
                // A URA that is not all digits is not a URA; counting it makes the certificate ambiguous.
                fromPermanentIdentifier.insert(ura)
            case DutchCareOID.uziServerName:
                guard let compound = try? ASN1IA5String(asn1Any: value),
                    let ura = UZIServerName.ura(fromCompound: String(compound))
                else { continue }
                fromUZICompound.insert(ura)
            default:
                continue
            }
        }
        let all = fromPermanentIdentifier.union(fromUZICompound)
        guard all.count == 1, let ura = all.first, UZIServerName.isDigits(ura) else { return nil }
        return ura
    }
}
