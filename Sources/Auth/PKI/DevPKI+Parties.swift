import Foundation

extension DevPKI {
    /// CN of the development root.
    public static let caCommonName = "Zorgnet Dev Root CA"
    /// The demo PGO app's hostname, which is also its OAuth client id (MedMij OAuth Client List convention).
    public static let pgoDemoClientID = "pgo-demo.zorgnet.test"
    /// The demo hospital's URA, carried in its SAN as UZI server certificates carry it.
    public static let hospitalDemoURA = "90000123"
    /// The demo hospital's hostname (SAN dNSName and subject CN).
    public static let hospitalDemoHostname = "hospital-demo.zorgnet.test"
    public static let hospitalDemoOrganization = "Demo Ziekenhuis"
    /// UZI number in the demo hospital's 2.5.5.5 compound string.
    public static let hospitalDemoUZINumber = "900012345"
    /// AGB code in the demo hospital's 2.5.5.5 compound string.
    public static let hospitalDemoAGB = "00000000"
    public static let auditorCommonName = "Zorgnet Dev Auditor"
    public static let operatorCommonName = "Zorgnet Dev Operator"

    /// How long the root is valid: ten years.
    static let caLifetime: TimeInterval = 10 * 365 * 86_400 + 3 * 86_400
    /// How long leaves are valid: two years, so developers rarely meet an expired dev certificate.
    static let leafLifetime: TimeInterval = 2 * 365 * 86_400
    /// notBefore is back-dated so that a peer whose clock runs a little behind still accepts a fresh certificate.
    static let clockSkewAllowance: TimeInterval = 5 * 60
}

extension DevPKI.Party {
    /// What the dev CA issues for this party.
    func request(now: Date) -> LeafCertificateRequest {
        let notBefore = now - DevPKI.clockSkewAllowance
        let notAfter = now + DevPKI.leafLifetime
        switch self {
        case .server:
            return LeafCertificateRequest(
                commonName: "localhost", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"],
                usages: [.server], notValidBefore: notBefore, notValidAfter: notAfter)
        case .pgoDemo:
            return LeafCertificateRequest(
                commonName: DevPKI.pgoDemoClientID, organization: "Demo PGO", dnsNames: [DevPKI.pgoDemoClientID],
                usages: [.client], notValidBefore: notBefore, notValidAfter: notAfter)
        case .hospitalDemo:
            return LeafCertificateRequest(
                commonName: DevPKI.hospitalDemoHostname, organization: DevPKI.hospitalDemoOrganization,
                dnsNames: [DevPKI.hospitalDemoHostname], ura: DevPKI.hospitalDemoURA,
                uziNumber: DevPKI.hospitalDemoUZINumber, agb: DevPKI.hospitalDemoAGB, uraNameForms: .all,
                usages: [.client, .server], notValidBefore: notBefore, notValidAfter: notAfter)
        case .auditor:
            return LeafCertificateRequest(
                commonName: DevPKI.auditorCommonName, organization: "Zorgnet Dev",
                usages: [.client], notValidBefore: notBefore, notValidAfter: notAfter)
        case .operator:
            return LeafCertificateRequest(
                commonName: DevPKI.operatorCommonName, organization: "Zorgnet Dev",
                usages: [.client], notValidBefore: notBefore, notValidAfter: notAfter)
        }
    }
}
