import Foundation
import SwiftASN1
import X509

/// What a ``CertificateAuthority`` should put in an end-entity certificate.
///
/// ```swift
/// let request = LeafCertificateRequest(
///     commonName: "hospital-demo.zorgnet.test", organization: "Demo Ziekenhuis",
///     dnsNames: ["hospital-demo.zorgnet.test"], ura: "90000123",
///     usages: [.client, .server],
///     notValidBefore: now, notValidAfter: now + 86_400)
/// ```
public struct LeafCertificateRequest: Sendable, Hashable {
    /// Extended key usages; each maps onto the EKU of the same name.
    public enum Usage: String, Sendable, Hashable, CaseIterable {
        case server
        case client
    }

    /// The two ways UZI server certificates carry the URA in the SAN. Real certificates since November 2023 have
    /// both; tests select one to exercise each reader.
    public struct URANameForms: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// otherName 1.3.6.1.5.5.7.8.3 (RFC 4043) with value = URA, assigner = 2.16.528.1.1007.3.3.
        public static let permanentIdentifier = URANameForms(rawValue: 1 << 0)
        /// otherName 2.5.5.5, IA5String `2.16.528.1.1007.99.2110-1-<UZI-nr>-S-<URA>-00.000-<AGB>`.
        public static let uziServerName = URANameForms(rawValue: 1 << 1)
        public static let all: URANameForms = [.permanentIdentifier, .uziServerName]
    }

    public var commonName: String
    public var organization: String?
    /// Subject attribute 2.5.4.5, e.g. a 20-digit PKIoverheid OIN.
    public var subjectSerialNumber: String?
    public var dnsNames: [String]
    /// Textual IPv4 or IPv6 addresses, e.g. `127.0.0.1`, `::1`.
    public var ipAddresses: [String]
    /// When set, the URA is written in the SAN in every form in ``uraNameForms``.
    public var ura: String?
    /// UZI number for the 2.5.5.5 compound string; defaults to `000000000`.
    public var uziNumber: String?
    /// AGB code for the 2.5.5.5 compound string; defaults to `00000000`.
    public var agb: String?
    public var uraNameForms: URANameForms
    public var usages: Set<Usage>
    public var notValidBefore: Date
    public var notValidAfter: Date

    public init(
        commonName: String,
        organization: String? = nil,
        subjectSerialNumber: String? = nil,
        dnsNames: [String] = [],
        ipAddresses: [String] = [],
        ura: String? = nil,
        uziNumber: String? = nil,
        agb: String? = nil,
        uraNameForms: URANameForms = .all,
        usages: Set<Usage>,
        notValidBefore: Date,
        notValidAfter: Date
    ) {
        self.commonName = commonName
        self.organization = organization
        self.subjectSerialNumber = subjectSerialNumber
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
        self.ura = ura
        self.uziNumber = uziNumber
        self.agb = agb
        self.uraNameForms = uraNameForms
        self.usages = usages
        self.notValidBefore = notValidBefore
        self.notValidAfter = notValidAfter
    }
}

extension LeafCertificateRequest {
    func validate() throws(CertificateAuthorityError) {
        guard !commonName.isEmpty else { throw .emptyCommonName }
        guard notValidAfter > notValidBefore else { throw .invalidValidityPeriod }
        guard !usages.isEmpty else { throw .noUsages }
        for name in dnsNames where name.isEmpty || !name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            throw .invalidDNSName(name)
        }
        if let subjectSerialNumber, (try? ASN1PrintableString(subjectSerialNumber)) == nil {
            throw .invalidSubjectSerialNumber(subjectSerialNumber)
        }
        let numbers = [("ura", ura), ("uziNumber", uziNumber), ("agb", agb)]
        for case (let field, let value?) in numbers where !UZIServerName.isDigits(value) {
            throw .notDigitsOnly(field: field, value: value)
        }
    }

    var subject: DistinguishedName {
        get throws {
            var attributes: [RelativeDistinguishedName.Attribute] = []
            if let organization {
                attributes.append(.init(type: .RDNAttributeType.organizationName, utf8String: organization))
            }
            if let subjectSerialNumber {
                // X.520 requires PrintableString for serialNumber; OINs are digits, so this never narrows them.
                let type = DutchCareOID.subjectSerialNumber
                attributes.append(try .init(type: type, printableString: subjectSerialNumber))
            }
            attributes.append(.init(type: .RDNAttributeType.commonName, utf8String: commonName))
            return try DistinguishedName(attributes)
        }
    }

    var subjectAlternativeNames: [GeneralName] {
        get throws {
            var names = dnsNames.map(GeneralName.dnsName)
            for address in ipAddresses {
                guard let bytes = IPAddressBytes.parse(address) else {
                    throw CertificateAuthorityError.invalidIPAddress(address)
                }
                names.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
            }
            if let ura {
                if uraNameForms.contains(.uziServerName) {
                    let compound = UZIServerName.compound(
                        uziNumber: uziNumber ?? "000000000", ura: ura, agb: agb ?? "00000000")
                    let value = try ASN1Any(erasing: ASN1IA5String(compound))
                    names.append(.otherName(.init(typeID: DutchCareOID.uziServerName, value: value)))
                }
                if uraNameForms.contains(.permanentIdentifier) {
                    let identifier = PermanentIdentifier(identifierValue: ura, assigner: DutchCareOID.ura)
                    let value = try ASN1Any(erasing: identifier)
                    names.append(.otherName(.init(typeID: DutchCareOID.permanentIdentifier, value: value)))
                }
            }
            return names
        }
    }
}

/// Textual IP address to the 4 or 16 network-order bytes an iPAddress GeneralName holds.
enum IPAddressBytes {
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
