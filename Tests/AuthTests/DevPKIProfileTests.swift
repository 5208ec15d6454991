import Foundation
import SwiftASN1
import Testing
import X509

@testable import Auth

/// What `zorgnet pki init` promises about each certificate's content, and that each chains to the dev CA.
@Suite("Development PKI certificate profiles")
struct DevPKIProfileTests {
    private static func makePKI() throws -> (DevPKI, String) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("zorgnet-auth-tests-\(UUID().uuidString)").path
        return (try DevPKI.initialize(dataDirectory: directory), directory)
    }

    struct Profile: Sendable, CustomTestStringConvertible {
        var party: DevPKI.Party
        var commonName: String
        var organization: String?
        var dnsNames: [String]
        var usages: [ExtendedKeyUsage.Usage]
        var testDescription: String { party.rawValue }
    }

    static let profiles: [Profile] = [
        Profile(party: .server, commonName: "localhost", dnsNames: ["localhost"], usages: [.serverAuth]),
        Profile(
            party: .pgoDemo, commonName: "pgo-demo.zorgnet.test", organization: "Demo PGO",
            dnsNames: ["pgo-demo.zorgnet.test"], usages: [.clientAuth]),
        Profile(
            party: .hospitalDemo, commonName: "hospital-demo.zorgnet.test", organization: "Demo Ziekenhuis",
            dnsNames: ["hospital-demo.zorgnet.test"], usages: [.serverAuth, .clientAuth]),
        Profile(
            party: .auditor, commonName: "Zorgnet Dev Auditor", organization: "Zorgnet Dev", dnsNames: [],
            usages: [.clientAuth]),
        Profile(
            party: .operator, commonName: "Zorgnet Dev Operator", organization: "Zorgnet Dev", dnsNames: [],
            usages: [.clientAuth]),
    ]

    @Test("each party's certificate carries the agreed names and extended key usages", arguments: profiles)
    func profile(_ expected: Profile) throws {
        let (pki, directory) = try Self.makePKI()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try pki.certificate(expected.party)
        let identity = CertificateIdentity(certificate)
        #expect(identity.subjectCommonName == expected.commonName)
        #expect(identity.subjectOrganization == expected.organization)
        #expect(identity.dnsNames == expected.dnsNames)
        #expect(try certificate.extensions.extendedKeyUsage.map(Array.init) == expected.usages)
        #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try certificate.extensions.keyUsage == KeyUsage(digitalSignature: true))
        #expect(
            try certificate.extensions.authorityKeyIdentifier?.keyIdentifier
                == pki.caCertificate.extensions.subjectKeyIdentifier?.keyIdentifier)
        #expect(identity.issuer == "CN=Zorgnet Dev Root CA")
    }

    @Test("every party's certificate chains to the dev CA under RFC 5280", arguments: DevPKI.Party.allCases)
    func chainsToDevCA(party: DevPKI.Party) async throws {
        let (pki, directory) = try Self.makePKI()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(await chainsTo(try pki.certificate(party), roots: [pki.caCertificate]))
    }

    @Test(
        "the server certificate is valid for localhost, 127.0.0.1 and ::1 and nothing else",
        arguments: [
            (hostname: "localhost", ip: nil, valid: true),
            ("LOCALHOST", nil, true),
            (nil, "127.0.0.1", true),
            (nil, "::1", true),
            ("localhost", "127.0.0.1", true),
            ("zorgnet.example", nil, false),
            (nil, "10.0.0.1", false),
            (nil, "::2", false),
        ] as [(hostname: String?, ip: String?, valid: Bool)])
    func serverIdentity(hostname: String?, ip: String?, valid: Bool) async throws {
        let (pki, directory) = try Self.makePKI()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try pki.certificate(.server)
        #expect(await isValidServer(server, roots: [pki.caCertificate], hostname: hostname, ipAddress: ip) == valid)
    }

    @Test("a client certificate is not accepted as the gateway's server identity")
    func clientIsNotServer() async throws {
        let (pki, directory) = try Self.makePKI()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pgo = try pki.certificate(.pgoDemo)
        #expect(await !isValidServer(pgo, roots: [pki.caCertificate], hostname: "localhost", ipAddress: nil))
    }

    @Test("the CA is a critical CA:true limited to signing certificates and CRLs, with a key identifier")
    func caProfile() throws {
        let (pki, directory) = try Self.makePKI()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ca = pki.caCertificate
        #expect(ca.subject == ca.issuer)
        #expect(CertificateIdentity(ca).subject == "CN=Zorgnet Dev Root CA")
        #expect(ca.extensions[oid: .X509ExtensionID.basicConstraints]?.critical == true)
        #expect(try ca.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(ca.extensions[oid: .X509ExtensionID.keyUsage]?.critical == true)
        #expect(try ca.extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
        #expect(try ca.extensions.subjectKeyIdentifier == SubjectKeyIdentifier(hash: ca.publicKey))
    }

    @Test("the CA lives ten years and leaves about two, all starting a few minutes before now")
    func validityPeriods() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("zorgnet-auth-tests-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let now = Date()
        let pki = try DevPKI.initialize(dataDirectory: directory, now: now)
        let day: TimeInterval = 86_400
        let ca = pki.caCertificate
        #expect(ca.notValidBefore < now && ca.notValidBefore > now - 15 * 60)
        #expect(ca.notValidAfter.timeIntervalSince(now) > 3_650 * day)
        #expect(ca.notValidAfter.timeIntervalSince(now) < 3_660 * day)
        for party in DevPKI.Party.allCases {
            let leaf = try pki.certificate(party)
            #expect(leaf.notValidBefore < now && leaf.notValidBefore > now - 15 * 60)
            #expect(abs(leaf.notValidAfter.timeIntervalSince(now) - 730 * day) < day)
            #expect(leaf.notValidAfter <= ca.notValidAfter)
        }
    }

    @Test("serial numbers are 16 positive random bytes, unique within the PKI")
    func serialNumbers() throws {
        let (pki, directory) = try Self.makePKI()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let serials = try [pki.caCertificate.serialNumber]
            + DevPKI.Party.allCases.map { try pki.certificate($0).serialNumber }
        for serial in serials {
            #expect(serial.bytes.count == 16)
            #expect(serial.bytes.first.map { $0 & 0x80 == 0 && $0 != 0 } == true)
        }
        #expect(Set(serials.map(\.bytes)).count == serials.count)
    }
}
