import Auth
import Exchange
import FHIR
import Foundation
import PZCImport
import Store
import Testing
import X509
import Zib

@testable import Gateway

/// Two real gateways on loopback, each with its own data directory and dev PKI, set up to trust each
/// other the way two operators would:
///
/// - H, the hospital (MedMij provider name `demoziekenhuis`, URA of the dev hospital certificate): the
///   diabetes patient's data from an import of `Fixtures/pzc/diabetes.json` under other ids, login
///   stand-ins on; P's client certificate registered as an app with client id `localhost` and P's exact
///   redirect URI; P's CA among the anchors of its back listener.
/// - P, the patient's own gateway: the same patient (same BSN) from the demo import; collect client
///   `localhost`; endpoint settings for H's BgZ (data service 1) and self-measurements (data service 5)
///   at H's loopback ports with H's CA as the only trust anchor; H's hospital certificate registered as
///   the organisation with the hospital's URA, H's CA among the anchors of its back listener.
///
/// The browser reaches P as `localhost` and H as `127.0.0.1`: two sites, so their cookies stay apart
/// as in a real browser with two gateways on one machine.
struct TwoGateways: Sendable {
    let hospital: RunningGateway
    let patientGateway: RunningGateway

    static let providerName = "demoziekenhuis@medmij"
    static let providerScope = "demoziekenhuis"
    static let ura = DevPKI.hospitalDemoURA
    static let bsn = "999945592"
    /// The patient at P (the demo import) and at H (the same export imported under another PZC id).
    static let patientAtP = "pzc-diab-patient"
    static let patientAtH = "zkh-diab-patient"
    static let clientID = "localhost"

    var hospitalFront: String { "https://127.0.0.1:\(hospital.addresses.front.port)" }
    var hospitalBack: String { "https://127.0.0.1:\(hospital.addresses.back.port)" }
    var patientFront: String { "https://localhost:\(patientGateway.addresses.front.port)" }
    var redirectURI: String { patientFront + "/oauth/callback" }

    /// P's client certificate for the back channel to H (hostname `localhost`, issued by P's CA).
    static func clientCertificatePath(_ directory: String) -> String { directory + "/pki/gateway-client.crt" }
    static func clientKeyPath(_ directory: String) -> String { directory + "/pki/gateway-client.key" }

    /// Starts H and P, wires them together and runs `body`; both shut down afterwards.
    static func run(
        configureP: @escaping @Sendable (inout GatewayConfiguration) -> Void = { _ in }, _ body: @Sendable (TwoGateways) async throws -> Void
    ) async throws {
        let hPath = GatewayHarness.temporaryDirectory()
        let pPath = GatewayHarness.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: hPath)
            try? FileManager.default.removeItem(atPath: pPath)
        }
        try await createPKI(hPath)
        try await createPKI(pPath)
        try issueClientCertificate(dataPath: pPath)
        // Each back listener trusts its own CA (its demo parties) and the other gateway's.
        let hAnchors = try combinedAnchors(hPath, other: pPath)
        let pAnchors = try combinedAnchors(pPath, other: hPath)

        try await GatewayHarness.withGateway(
            dataPath: hPath,
            configure: {
                $0.loginStandIns = true
                $0.medMijProviderName = providerScope
                $0.tls.clientTrustAnchors = hAnchors
            },
            seed: { database in try await importDiabetes(database, pzcID: "zkh-diab") }
        ) { hospital in
            try await GatewayHarness.withGateway(
                dataPath: pPath,
                configure: {
                    $0.loginStandIns = true
                    $0.tls.clientTrustAnchors = pAnchors
                    configureP(&$0)
                },
                seed: { database in
                    try await importDiabetes(database, pzcID: nil)
                    try await registerHospital(certificatePath: DevPKI.load(dataDirectory: hPath).certificatePath(.hospitalDemo), at: database)
                }
            ) { patientGateway in
                let pair = TwoGateways(hospital: hospital, patientGateway: patientGateway)
                try await pair.connect()
                try await body(pair)
            }
        }
    }

    // MARK: - Wiring

    /// What the operators do once both listen: H registers P as an app, P configures H as a provider.
    func connect() async throws {
        let pDirectory = patientGateway.dataDirectory.path
        let leaf = try Certificate(pemEncoded: String(contentsOfFile: Self.clientCertificatePath(pDirectory), encoding: .utf8))
        let identity = CertificateIdentity(leaf)
        try await PartyRegistry(database: hospital.database).register(
            Party(partyID: "gateway-p", kind: .app, displayName: "Zorgnet van de patiënt", clientID: Self.clientID),
            certificate: PartyCertificate(
                fingerprintSHA256: identity.fingerprintSHA256, partyID: "gateway-p", subject: identity.subject,
                notValidAfter: Instant.format(identity.notValidAfter)))
        try await PartyRedirectURIs(database: hospital.database).set([redirectURI], partyID: "gateway-p")

        let endpoints = ProviderEndpointStore(database: patientGateway.database)
        try await endpoints.setCollectClient(CollectClientSetting(clientID: Self.clientID, redirectURI: redirectURI))
        for dataService in [ProviderEndpoints.bgzDataServiceID, ProviderEndpoints.selfMeasurementsDataServiceID] {
            try await endpoints.save(endpointSetting(dataService: dataService))
        }
    }

    /// P's settings for one of H's data services; `edit` makes a faulty one.
    func endpointSetting(dataService: String = ProviderEndpoints.bgzDataServiceID, edit: (inout ProviderEndpointSetting) -> Void = { _ in })
        -> ProviderEndpointSetting
    {
        let pDirectory = patientGateway.dataDirectory.path
        var setting = ProviderEndpointSetting(
            providerName: Self.providerName, dataServiceID: dataService, ura: Self.ura, displayName: "Demo Ziekenhuis",
            trustAnchorsPath: hospital.pki.caCertificatePath, clientCertificatePath: Self.clientCertificatePath(pDirectory),
            clientKeyPath: Self.clientKeyPath(pDirectory), authorizationEndpoint: hospitalFront + "/oauth/authorize",
            tokenEndpoint: hospitalBack + "/oauth/token", resourceEndpoint: hospitalBack + "/fhir")
        edit(&setting)
        return setting
    }

    static func createPKI(_ path: String) async throws {
        let directory = DataDirectory(path: path)
        try directory.create()
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        defer { try? database.close() }
        try await GatewaySetup(directory: directory).initializePKI(database: database)
    }

    static func issueClientCertificate(dataPath: String) throws {
        let now = Date()
        let leaf = try DevPKI.load(dataDirectory: dataPath).certificateAuthority().issue(
            LeafCertificateRequest(
                commonName: clientID, organization: "Zorgnet van de patiënt", dnsNames: [clientID], usages: [.client],
                notValidBefore: now - 300, notValidAfter: now + 86_400))
        try leaf.certificatePEM.write(toFile: clientCertificatePath(dataPath), atomically: true, encoding: .utf8)
        try leaf.privateKeyPEM.write(toFile: clientKeyPath(dataPath), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: clientKeyPath(dataPath))
    }

    static func combinedAnchors(_ own: String, other: String) throws -> String {
        let path = own + "/pki/client-anchors.pem"
        let text = try String(contentsOfFile: DevPKI.load(dataDirectory: own).caCertificatePath, encoding: .utf8)
            + String(contentsOfFile: DevPKI.load(dataDirectory: other).caCertificatePath, encoding: .utf8)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// H's hospital certificate as a second certificate of P's demo hospital party (same URA).
    static func registerHospital(certificatePath: String, at database: GatewayDatabase) async throws {
        let identity = CertificateIdentity(try Certificate(pemEncoded: String(contentsOfFile: certificatePath, encoding: .utf8)))
        try await PartyRegistry(database: database).register(
            Party(partyID: "hospital-demo", kind: .organization, displayName: DevPKI.hospitalDemoOrganization, ura: ura),
            certificate: PartyCertificate(
                fingerprintSHA256: identity.fingerprintSHA256, partyID: "hospital-demo", subject: identity.subject,
                notValidAfter: Instant.format(identity.notValidAfter)))
    }

    /// The diabetes export, under another PZC id at H so that no id is shared by accident.
    static func importDiabetes(_ database: GatewayDatabase, pzcID: String?) async throws {
        let fixtures = try #require(ProjectResources.demoPZCDirectory)
        let profiles = try #require(ProjectResources.profilesDirectory)
        var text = try String(contentsOfFile: fixtures + "/diabetes.json", encoding: .utf8)
        if let pzcID { text = text.replacingOccurrences(of: "\"pzc-diab\"", with: "\"\(pzcID)\"") }
        let export = try PZCExport.decode(from: Data(text.utf8))
        let result = try await PZCImporter(database: database, validator: try ProfileValidator.loadProjectProfiles(from: profiles))
            .importExport(export)
        #expect(result.invalid.isEmpty)
    }

    // MARK: - The patient's browser

    /// A browser trusting both gateways' CAs.
    func browser<Result: Sendable>(_ body: (CrossSiteBrowser) async throws -> Result) async throws -> Result {
        try await CrossSiteBrowser.using(trusting: [hospital.pki.caCertificatePath, patientGateway.pki.caCertificatePath], body)
    }

    /// Logs in at `front` with the DigiD stand-in and TOTP; the browser is on the login page already
    /// when `started` is true (sent there by an authorization request).
    static func login(_ browser: CrossSiteBrowser, front: String, authenticator: Authenticator) async throws -> Browser.Page {
        let login = try await browser.get(front + "/login")
        let submitted = try await browser.post(front + "/login/digid-standin", [("bsn", bsn)], csrf: login.csrf)
        guard submitted.status == 303 else { throw FlowError.unexpected("login: \(submitted.status) \(submitted.body.prefix(300))") }
        let factor = try await browser.get(front + "/login/second-factor")
        if let secret = factor.totpSecret, !authenticator.isEnrolled { try authenticator.enrol(base32: secret) }
        let confirmed = try await browser.post(front + "/login/second-factor", [("code", try authenticator.nextCode())], csrf: factor.csrf)
        guard confirmed.status == 303 else { throw FlowError.unexpected("second factor: \(confirmed.status) \(confirmed.body.prefix(300))") }
        return confirmed
    }

    /// At H, from the landing page an authorization request showed: log in, consent (`period`), and
    /// return the redirect back to P.
    func consentAtHospital(_ browser: CrossSiteBrowser, landing: Browser.Page, period: String = "3-months") async throws -> Browser.Page {
        guard landing.status == 200 else { throw FlowError.unexpected("landing at H: \(landing.status) \(landing.body.prefix(300))") }
        let confirmed = try await Self.login(browser, front: hospitalFront, authenticator: Authenticator())
        guard confirmed.location == "/oauth/consent" else { throw FlowError.unexpected("after login at H: \(confirmed.location ?? "-")") }
        let consent = try await browser.get(hospitalFront + "/oauth/consent")
        let redirect = try await browser.post(hospitalFront + "/oauth/consent", [("period", period), ("decision", "allow")], csrf: consent.csrf)
        guard redirect.status == 302, redirect.location?.hasPrefix(redirectURI + "?") == true else {
            throw FlowError.unexpected("consent at H: \(redirect.status) \(redirect.location ?? redirect.body.prefix(300).description)")
        }
        return redirect
    }
}
