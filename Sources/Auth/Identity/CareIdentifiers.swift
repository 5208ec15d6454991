import Foundation
import SwiftASN1

/// Object identifiers used to identify Dutch care parties in X.509 certificates.
///
/// swift-certificates has no constants for these, so they live here, next to the code that reads and writes them.
///
/// ```swift
/// if otherName.typeID == DutchCareOID.uziServerName { … }
/// ```
public enum DutchCareOID {
    /// The URA (UZI-register abonneenummer) namespace, used as `assigner` in a permanentIdentifier.
    public static let ura: ASN1ObjectIdentifier = [2, 16, 528, 1, 1007, 3, 3]

    /// The SAN otherName type under which UZI certificates carry their compound identity string.
    public static let uziServerName: ASN1ObjectIdentifier = [2, 5, 5, 5]

    /// RFC 4043 permanentIdentifier (id-on-permanentIdentifier), a SAN otherName type.
    public static let permanentIdentifier: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 8, 3]

    /// The subject attribute `serialNumber` (X.520); PKIoverheid puts the OIN here.
    public static let subjectSerialNumber: ASN1ObjectIdentifier = [2, 5, 4, 5]
}

/// RFC 4043 `PermanentIdentifier ::= SEQUENCE {
///     identifierValue UTF8String OPTIONAL, assigner OBJECT IDENTIFIER OPTIONAL }`.
///
/// Since November 2023 UZI server certificates carry the URA this way, with `assigner` = ``DutchCareOID/ura``.
struct PermanentIdentifier: DERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var identifierValue: String?
    var assigner: ASN1ObjectIdentifier?

    init(identifierValue: String?, assigner: ASN1ObjectIdentifier?) {
        self.identifierValue = identifierValue
        self.assigner = assigner
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let value: ASN1UTF8String? = try DER.optionalImplicitlyTagged(&nodes)
            let assigner: ASN1ObjectIdentifier? = try DER.optionalImplicitlyTagged(&nodes)
            return PermanentIdentifier(identifierValue: value.map { String($0) }, assigner: assigner)
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            if let identifierValue {
                try coder.serialize(ASN1UTF8String(identifierValue))
            }
            if let assigner {
                try coder.serialize(assigner)
            }
        }
    }
}

/// The compound string a UZI server certificate carries in SAN otherName 2.5.5.5:
/// `<OID CA>-<versie-nr>-<UZI-nr>-<pastype>-<abonneenummer (URA)>-<rol>-<AGB-code>`,
/// for example `2.16.528.1.1007.99.2110-1-900012345-S-90000123-00.000-00000000`.
enum UZIServerName {
    /// The issuing-CA OID used in the compound string of UZI *test* server certificates; real ones name their CA.
    static let testCAOID = "2.16.528.1.1007.99.2110"

    /// Builds the compound string for a server certificate (pastype `S`, rol `00.000`).
    static func compound(uziNumber: String, ura: String, agb: String, caOID: String = testCAOID) -> String {
        "\(caOID)-1-\(uziNumber)-S-\(ura)-00.000-\(agb)"
    }

    /// The URA from a server-certificate compound string, or nil if the string does not have that exact shape.
    ///
    /// Same pattern as the Nuts UZI validator, anchored at both ends and limited to ASCII digits so that
    /// look-alike digits or trailing text never yield an identifier.
    static func ura(fromCompound compound: String) -> String? {
        let pattern = /^2\.16\.528\.1\.1007\.\d+\.\d+-\d+-\d+-S-(\d+)-00\.000-\d+$/.asciiOnlyDigits()
        guard let match = compound.wholeMatch(of: pattern) else { return nil }
        return String(match.output.1)
    }

    /// True for a non-empty string of ASCII digits only: the shape of URA, UZI and AGB numbers.
    static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
