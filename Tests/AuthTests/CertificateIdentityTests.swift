import Crypto
import Foundation
import SwiftASN1
import Testing
import X509

@testable import Auth

@Suite("Certificate identity")
struct CertificateIdentityTests {
    private static func hospitalRequest(forms: LeafCertificateRequest.URANameForms) -> LeafCertificateRequest {
        let now = Date()
        return LeafCertificateRequest(
            commonName: "hospital.zorgnet.test", organization: "Ziekenhuis", dnsNames: ["hospital.zorgnet.test"],
            ura: "12345678", uziNumber: "900054321", agb: "06010101", uraNameForms: forms,
            usages: [.client, .server], notValidBefore: now - 60, notValidAfter: now + 3_600)
    }

    @Test("reads the URA of the dev hospital, which carries it in both SAN forms")
    func devHospitalURA() async throws {
        try await withTemporaryDirectory { dataDirectory in
            let pki = try DevPKI.initialize(dataDirectory: dataDirectory)
            let identity = CertificateIdentity(try pki.certificate(.hospitalDemo))
            #expect(identity.ura == DevPKI.hospitalDemoURA)
            #expect(identity.ura == "90000123")
            #expect(identity.subjectOrganization == "Demo Ziekenhuis")
            #expect(identity.subject == "CN=hospital-demo.zorgnet.test,O=Demo Ziekenhuis")
        }
    }

    @Test(
        "reads the URA from permanentIdentifier alone, the 2.5.5.5 compound alone, or both",
        arguments: [
            LeafCertificateRequest.URANameForms.permanentIdentifier, .uziServerName, .all,
        ])
    func uraFromEitherForm(forms: LeafCertificateRequest.URANameForms) throws {
        let issued = try makeTestRoot().issue(Self.hospitalRequest(forms: forms))
        let identity = CertificateIdentity(issued.certificate)
        #expect(identity.ura == "12345678")
        #expect(identity.dnsNames == ["hospital.zorgnet.test"])
    }

    @Test("writes the 2.5.5.5 compound as an IA5String in the UZI server-certificate layout")
    func compoundLayout() throws {
        let issued = try makeTestRoot().issue(Self.hospitalRequest(forms: .uziServerName))
        let names = try #require(try issued.certificate.extensions.subjectAlternativeNames)
        let compounds = try names.compactMap { name -> String? in
            guard case .otherName(let other) = name, other.typeID == [2, 5, 5, 5], let value = other.value else {
                return nil
            }
            return String(try ASN1IA5String(asn1Any: value))
        }
        #expect(compounds == ["2.16.528.1.1007.99.2110-1-900054321-S-12345678-00.000-06010101"])
    }

    @Test(
        "takes the URA only from a server-certificate compound string of the exact UZI shape",
        arguments: [
            ("2.16.528.1.1007.99.2110-1-900012345-S-90000123-00.000-00000000", "90000123"),
            ("2.16.528.1.1007.99.218-1-1234-S-86446-00.000-5678", "86446"),
            ("2.16.528.1.1007.99.2110-1-900012345-Z-90000123-00.000-00000000", nil),  // personal card, not server
            ("2.16.528.1.1007.99.2110-1-900012345-S-90000123-01.015-00000000", nil),  // a care role, not 00.000
            ("2.16.528.1.1007.99.2110-1-900012345-S-90000123-00.000-00000000 ", nil),  // trailing text
            ("x2.16.528.1.1007.99.2110-1-900012345-S-90000123-00.000-00000000", nil),  // leading text
            ("2.16.528.1.1007.99.2110-1-900012345-S--00.000-00000000", nil),  // no URA
            ("2.16.528.1.1007.99.2110-1-900012345-S-٩٠٠٠٠١٢٣-00.000-00000000", nil),  // non-ASCII digits
            ("2.16.528.1.2000.99.2110-1-900012345-S-90000123-00.000-00000000", nil),  // not the UZI arc
        ] as [(String, String?)])
    func compoundPattern(compound: String, ura: String?) {
        #expect(UZIServerName.ura(fromCompound: compound) == ura)
    }

    @Test("ignores a permanentIdentifier whose assigner is not the URA namespace")
    func foreignAssigner() throws {
        let ca = try makeTestRoot()
        let foreign = PermanentIdentifier(identifierValue: "12345678", assigner: [2, 16, 528, 1, 1003, 1, 3, 5])
        let certificate = try signLeaf(
            by: ca, subject: DistinguishedName { CommonName("x") },
            names: [.otherName(.init(typeID: DutchCareOID.permanentIdentifier, value: try ASN1Any(erasing: foreign)))])
        #expect(CertificateIdentity(certificate).ura == nil)
    }

    @Test("reports no URA when the names in one certificate disagree")
    func conflictingURAs() throws {
        let ca = try makeTestRoot()
        let permanent = PermanentIdentifier(identifierValue: "11111111", assigner: DutchCareOID.ura)
        let compound = try ASN1IA5String(UZIServerName.compound(uziNumber: "1", ura: "22222222", agb: "0"))
        let certificate = try signLeaf(
            by: ca, subject: DistinguishedName { CommonName("x") },
            names: [
                .otherName(.init(typeID: DutchCareOID.permanentIdentifier, value: try ASN1Any(erasing: permanent))),
                .otherName(.init(typeID: DutchCareOID.uziServerName, value: try ASN1Any(erasing: compound))),
            ])
        #expect(CertificateIdentity(certificate).ura == nil)
    }

    @Test("reads the PGO app's hostname, its OAuth client id, and no URA")
    func pgoDNSNames() async throws {
        try await withTemporaryDirectory { dataDirectory in
            let pki = try DevPKI.initialize(dataDirectory: dataDirectory)
            let identity = CertificateIdentity(try pki.certificate(.pgoDemo))
            #expect(identity.dnsNames == [DevPKI.pgoDemoClientID])
            #expect(identity.dnsNames == ["pgo-demo.zorgnet.test"])
            #expect(identity.ura == nil)
            #expect(identity.subjectSerialNumber == nil)
        }
    }

    @Test("the fingerprint is lowercase hex SHA-256 of the DER, whichever initialiser is used")
    func fingerprint() throws {
        let issued = try makeTestRoot().issue(clientRequest())
        let der = try derBytes(issued.certificate)
        let expected = SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
        let fromDER = try CertificateIdentity(derEncoded: der)
        #expect(fromDER.fingerprintSHA256 == expected)
        #expect(fromDER.fingerprintSHA256.count == 64)
        #expect(fromDER == CertificateIdentity(issued.certificate))
    }

    @Test("the fingerprint matches `openssl x509 -fingerprint -sha256`", .enabled(if: OpenSSL.path != nil))
    func fingerprintMatchesOpenSSL() async throws {
        try await withTemporaryDirectory { dataDirectory in
            let pki = try DevPKI.initialize(dataDirectory: dataDirectory)
            for party in DevPKI.Party.allCases {
                let output = try OpenSSL.run(
                    ["x509", "-in", pki.certificatePath(party), "-noout", "-fingerprint", "-sha256"])
                let hex = try #require(output.split(separator: "=").last)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                    .replacingOccurrences(of: ":", with: "").lowercased()
                #expect(CertificateIdentity(try pki.certificate(party)).fingerprintSHA256 == hex)
            }
        }
    }

    @Test("reads subject serialNumber (where PKIoverheid puts the OIN), CN and O, and shows the DN per RFC 4514")
    func subjectAttributes() throws {
        var request = clientRequest(commonName: "api.gemeente.example")
        request.organization = "Gemeente Utrecht"
        request.subjectSerialNumber = "00000001002220647000"
        let identity = CertificateIdentity(try makeTestRoot("Test, Root").issue(request).certificate)
        #expect(identity.subjectSerialNumber == "00000001002220647000")
        #expect(identity.subjectCommonName == "api.gemeente.example")
        #expect(identity.subjectOrganization == "Gemeente Utrecht")
        #expect(identity.subject == "CN=api.gemeente.example,serialNumber=00000001002220647000,O=Gemeente Utrecht")
        #expect(identity.issuer == "CN=Test\\, Root")
    }

    @Test("an attribute present twice with different values is ambiguous and yields nil")
    func ambiguousAttribute() throws {
        let certificate = try signLeaf(
            by: try makeTestRoot(),
            subject: DistinguishedName {
                CommonName("first")
                CommonName("second")
                OrganizationName("Same")
                OrganizationName("Same")
            },
            names: [.dnsName("x.example")])
        let identity = CertificateIdentity(certificate)
        #expect(identity.subjectCommonName == nil)
        #expect(identity.subjectOrganization == "Same")
    }

    @Test(
        "escapes RFC 4514 specials and control characters so a subject cannot forge log lines",
        arguments: [
            ("plain", "CN=plain"),
            ("a,b+c", "CN=a\\,b\\+c"),
            ("#lead", "CN=\\#lead"),
            (" both ", "CN=\\ both\\ "),
            ("line\nbreak", "CN=line\\0Abreak"),
            ("cr\r\nlf", "CN=cr\\0D\\0Alf"),
            ("Zoë", "CN=Zoë"),
        ])
    func rfc4514Escaping(commonName: String, expected: String) throws {
        let name = try DistinguishedName { CommonName(commonName) }
        #expect(name.rfc4514String == expected)
    }

    @Test(
        "bytes that are not one DER certificate give a typed error",
        arguments: [
            ([], CertificateIdentityError.emptyInput),
            (Array("-----BEGIN CERTIFICATE-----".utf8), nil),
            ([0x30, 0x03, 0x02, 0x01, 0x01], nil),
            ([0x30, 0x82, 0xFF], nil),
        ] as [([UInt8], CertificateIdentityError?)])
    func malformedInput(bytes: [UInt8], expected: CertificateIdentityError?) {
        do {
            _ = try CertificateIdentity(derEncoded: bytes)
            Issue.record("parsed \(bytes)")
        } catch {
            if let expected {
                #expect(error == expected)
            } else if case .malformedDER(let reason) = error {
                #expect(!reason.isEmpty)
            } else {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test("a valid certificate followed by extra bytes is rejected, so the fingerprint covers exactly the certificate")
    func trailingBytes() throws {
        let der = try derBytes(try makeTestRoot().issue(clientRequest()).certificate)
        #expect(throws: CertificateIdentityError.self) { try CertificateIdentity(derEncoded: der + [0x00]) }
    }

    @Test("reports the validity period and certificate serial number")
    func validityAndSerial() throws {
        let issued = try makeTestRoot().issue(clientRequest())
        let identity = CertificateIdentity(issued.certificate)
        #expect(identity.notValidBefore == issued.certificate.notValidBefore)
        #expect(identity.notValidAfter == issued.certificate.notValidAfter)
        #expect(identity.certificateSerialNumber.count == 32)
    }
}
