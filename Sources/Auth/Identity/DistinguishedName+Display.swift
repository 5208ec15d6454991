import Foundation
import SwiftASN1
import X509

extension DistinguishedName {
    /// The name as an RFC 4514 string, most specific RDN first:
    /// `CN=hospital-demo.zorgnet.test,O=Demo Ziekenhuis`.
    ///
    /// swift-certificates' own `description` is close, but prints non-string values in Swift syntax and uses
    /// non-standard keys such as `E`; this form is what operators can paste into `openssl` or LDAP tooling.
    /// Control characters are escaped as well, so a hostile subject cannot forge extra lines in a log.
    var rfc4514String: String {
        reversed().map { rdn in
            rdn.map(\.rfc4514String).joined(separator: "+")
        }.joined(separator: ",")
    }

    /// The value of the one attribute of `type`, or nil if it is absent, not a string, or present more than once
    /// with different values: an ambiguous subject must not map onto an identity.
    func singleStringValue(of type: ASN1ObjectIdentifier) -> String? {
        let values = flatMap { rdn in rdn.filter { $0.type == type } }.map { String($0.value) }
        guard let first = values.first, let value = first, values.allSatisfy({ $0 == value }) else {
            return nil
        }
        return value
    }
}

extension RelativeDistinguishedName.Attribute {
    /// RFC 4514 §2.3 keys, plus the RFC 4519 names that Dutch certificates use (`serialNumber` holds the OIN).
    private static let shortNames: [ASN1ObjectIdentifier: String] = [
        .RDNAttributeType.commonName: "CN",
        .RDNAttributeType.localityName: "L",
        .RDNAttributeType.stateOrProvinceName: "ST",
        .RDNAttributeType.organizationName: "O",
        .RDNAttributeType.organizationalUnitName: "OU",
        .RDNAttributeType.countryName: "C",
        .RDNAttributeType.streetAddress: "STREET",
        .RDNAttributeType.domainComponent: "DC",
        [0, 9, 2342, 19_200_300, 100, 1, 1]: "UID",
        DutchCareOID.subjectSerialNumber: "serialNumber",
        [2, 5, 4, 4]: "SN",
        [2, 5, 4, 42]: "givenName",
        [2, 5, 4, 12]: "title",
    ]

    var rfc4514String: String {
        // RFC 4514 §2.4: a string value under a known key is escaped; anything else is `#` + hex of its DER.
        if let key = Self.shortNames[type], let text = String(value) {
            return "\(key)=\(Self.escaped(text))"
        }
        let key = Self.shortNames[type] ?? type.description
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(ASN1Any(value))) != nil else { return "\(key)=#" }
        return "\(key)=#\(CertificateHex.lowercase(serializer.serializedBytes))"
    }

    private static func escaped(_ text: String) -> String {
        let special: Set<Unicode.Scalar> = ["\"", "+", ",", ";", "<", ">", "\\"]
        let lineBreaking: Set<Unicode.GeneralCategory> = [.control, .lineSeparator, .paragraphSeparator]
        let scalars = Array(text.unicodeScalars)
        var result = ""
        for (index, scalar) in scalars.enumerated() {
            if special.contains(scalar)
                || (index == 0 && (scalar == " " || scalar == "#"))
                || (index == scalars.count - 1 && scalar == " ")
            {
                result += "\\\(scalar)"
            } else if lineBreaking.contains(scalar.properties.generalCategory) {
                // RFC 4514 allows any character as `\XX` pairs of its UTF-8 bytes.
                for byte in String(scalar).utf8 {
                    result += "\\" + CertificateHex.lowercase([byte]).uppercased()
                }
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Hex encoding for fingerprints, serial numbers and RFC 4514 `#` values.
enum CertificateHex {
    /// Lowercase hexadecimal, two digits per byte, no separators.
    static func lowercase(_ input: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in input {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
