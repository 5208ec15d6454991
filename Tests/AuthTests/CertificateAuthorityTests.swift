import Foundation
import Testing
import X509

@testable import Auth

@Suite("Certificate authority for tests and tooling")
struct CertificateAuthorityTests {
    @Test("an expired certificate keeps its requested dates and fails RFC 5280 validation")
    func expiredCertificate() async throws {
        let ca = try makeTestRoot()
        let now = Date()
        var request = clientRequest()
        request.notValidBefore = now - 7 * 86_400
        request.notValidAfter = now - 86_400
        let expired = try ca.issue(request).certificate
        #expect(abs(expired.notValidAfter.timeIntervalSince(request.notValidAfter)) < 1)
        #expect(await !chainsTo(expired, roots: [ca.certificate]))
        #expect(await chainsTo(try ca.issue(clientRequest()).certificate, roots: [ca.certificate]))
    }

    @Test("a certificate from another root chains to that root but not to the dev CA")
    func foreignRoot() async throws {
        try await withTemporaryDirectory { dataDirectory in
            let pki = try DevPKI.initialize(dataDirectory: dataDirectory)
            // Same subject as the dev CA, so only the signature can tell them apart.
            let impostor = try makeTestRoot(DevPKI.caCommonName)
            let forged = try impostor.issue(clientRequest(commonName: DevPKI.pgoDemoClientID)).certificate
            #expect(forged.issuer == pki.caCertificate.subject)
            #expect(await !chainsTo(forged, roots: [pki.caCertificate]))
            #expect(await chainsTo(forged, roots: [impostor.certificate]))
        }
    }

    private static func request(_ change: (inout LeafCertificateRequest) -> Void) -> LeafCertificateRequest {
        var request = clientRequest()
        change(&request)
        return request
    }

    @Test(
        "rejects requests that would produce a misleading certificate",
        arguments: [
            (request { $0.commonName = "" }, CertificateAuthorityError.emptyCommonName),
            (request { $0.notValidAfter = $0.notValidBefore }, .invalidValidityPeriod),
            (request { $0.usages = [] }, .noUsages),
            (request { $0.ura = "9000-0123" }, .notDigitsOnly(field: "ura", value: "9000-0123")),
            (request { $0.ura = "1"; $0.uziNumber = "12a" }, .notDigitsOnly(field: "uziNumber", value: "12a")),
            (request { $0.ura = "1"; $0.agb = "" }, .notDigitsOnly(field: "agb", value: "")),
            (request { $0.ipAddresses = ["localhost"] }, .invalidIPAddress("localhost")),
            (request { $0.ipAddresses = ["256.0.0.1"] }, .invalidIPAddress("256.0.0.1")),
            (request { $0.dnsNames = ["bad name"] }, .invalidDNSName("bad name")),
            (request { $0.dnsNames = ["zoë.example"] }, .invalidDNSName("zoë.example")),
            (request { $0.subjectSerialNumber = "OIN_1" }, .invalidSubjectSerialNumber("OIN_1")),
        ])
    func invalidRequests(request: LeafCertificateRequest, expected: CertificateAuthorityError) throws {
        let ca = try makeTestRoot()
        #expect(throws: expected) { try ca.issue(request) }
    }

    @Test("writes IPv4 and IPv6 SAN addresses as 4 and 16 network-order bytes")
    func ipAddresses() throws {
        var request = clientRequest()
        request.ipAddresses = ["192.0.2.7", "2001:db8::1"]
        let names = try #require(try makeTestRoot().issue(request).certificate.extensions.subjectAlternativeNames)
        let addresses = names.compactMap { name -> [UInt8]? in
            if case .ipAddress(let octets) = name { return Array(octets.bytes) }
            return nil
        }
        #expect(addresses == [[192, 0, 2, 7], [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [1]])
    }

    @Test("round-trips through PEM, and refuses a key of another CA or a leaf posing as CA")
    func pemRoundTrip() throws {
        let ca = try makeTestRoot()
        let reloaded = try CertificateAuthority(certificatePEM: ca.certificatePEM, privateKeyPEM: ca.privateKeyPEM)
        #expect(reloaded.certificate == ca.certificate)
        #expect(reloaded.privateKey == ca.privateKey)

        let other = try makeTestRoot()
        #expect(throws: CertificateAuthorityError.privateKeyDoesNotMatchCertificate) {
            try CertificateAuthority(certificatePEM: ca.certificatePEM, privateKeyPEM: other.privateKeyPEM)
        }
        let leaf = try ca.issue(clientRequest())
        #expect(throws: CertificateAuthorityError.notACertificateAuthority) {
            try CertificateAuthority(certificatePEM: leaf.certificatePEM, privateKeyPEM: leaf.privateKeyPEM)
        }
        #expect(throws: CertificateAuthorityError.self) {
            try CertificateAuthority(certificatePEM: "not PEM", privateKeyPEM: ca.privateKeyPEM)
        }
    }

    @Test("the chain PEM is the leaf followed by the issuing CA")
    func chainPEM() throws {
        let ca = try makeTestRoot()
        let issued = try ca.issue(clientRequest())
        #expect(issued.chainPEM == issued.certificatePEM + ca.certificatePEM)
        #expect(issued.certificatePEM.hasSuffix("-----END CERTIFICATE-----\n"))
        #expect(issued.chainPEM.components(separatedBy: "-----BEGIN CERTIFICATE-----").count == 3)
    }

    @Test("printing or dumping a CA or issued certificate never shows the private key")
    func descriptionsHideKeys() throws {
        let ca = try makeTestRoot()
        let issued = try ca.issue(clientRequest())
        let keyBody = { (pem: String) in pem.split(separator: "\n")[1] }
        var dumped = ""
        dump(ca, to: &dumped)
        dump(issued, to: &dumped)
        let printed = [String(describing: ca), String(reflecting: ca), "\(issued)", String(reflecting: issued), dumped]
        for text in printed {
            #expect(!text.contains(keyBody(ca.privateKeyPEM)))
            #expect(!text.contains(keyBody(issued.privateKeyPEM)))
            #expect(!text.contains("PRIVATE KEY"))
        }
        #expect(String(describing: ca) == "CertificateAuthority(CN=Zorgnet Test Root)")
    }
}
