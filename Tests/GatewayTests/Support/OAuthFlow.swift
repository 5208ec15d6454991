import Auth
import Foundation
import NIOSSL
import Store
import Synchronization
import Testing

@testable import Gateway

/// The authenticator app of a test patient: remembers the key from enrolment and never hands out the
/// same time step twice (the gateway refuses replays).
final class Authenticator: Sendable {
    private let state = Mutex<(secret: [UInt8]?, lastStep: UInt64?)>((nil, nil))

    func enrol(base32 secret: String) throws {
        let bytes = try Base32.decode(secret)
        state.withLock { $0.secret = bytes }
    }

    var isEnrolled: Bool { state.withLock { $0.secret != nil } }

    /// The code for now, or for the next step when now's was used already (within the allowed drift).
    func nextCode(at date: Date = Date()) throws -> String {
        let (secret, last) = state.withLock { ($0.secret, $0.lastStep) }
        guard let secret else { throw FlowError.notEnrolled }
        let totp = try TOTP(secret: secret)
        let step = max(totp.timeStep(at: date), (last ?? 0) + 1)
        state.withLock { $0.lastStep = step }
        return totp.code(forStep: step)
    }
}

enum FlowError: Error {
    case notEnrolled
    case unexpected(String)
}

/// Drives the MedMij authorization flow the way a PGO app and a patient's browser do.
enum OAuthFlow {
    static let clientID = DemoPGO.clientID
    static let redirectURI = DemoPGO.redirectURI
    static let scope = GatewayConfiguration.defaultMedMijProviderName

    /// TestData plus a PZC for each test patient (so the DigiD stand-in knows their BSN) and the GP
    /// as a member with a UZI number (so the UZI stand-in offers them).
    static func seed(_ database: GatewayDatabase) async throws {
        try await TestData.seed(database)
        let records = PZCRecords(database: database)
        _ = try await records.record(
            PZCRecord(
                pzcID: "pzc-p1", title: "Zorgnet van Test Jansen", patientResourceID: "p1", patientName: "Test Jansen",
                bsn: TestData.bsnOfP1, importedAt: "2026-01-01T00:00:00.000Z", entryCounts: [:]),
            resources: [PZCResourceLink(type: "Patient", id: "p1", entryID: "patient"), PZCResourceLink(type: "Practitioner", id: "gp1", entryID: "m-gp")])
        _ = try await records.record(
            PZCRecord(
                pzcID: "pzc-p2", title: "Zorgnet van Test Bakker", patientResourceID: "p2", patientName: "Test Bakker",
                bsn: "999911132", importedAt: "2026-01-01T00:00:00.000Z", entryCounts: [:]),
            resources: [PZCResourceLink(type: "Patient", id: "p2", entryID: "patient")])
    }

    /// A gateway with the stand-in logins on (as `--demo` has them) and the flow's test data.
    static func withGateway(
        standIns: Bool = true, configure: @escaping (inout GatewayConfiguration) -> Void = { _ in },
        _ body: @Sendable (RunningGateway) async throws -> Void
    ) async throws {
        try await GatewayHarness.withGateway(
            configure: {
                $0.loginStandIns = standIns
                configure(&$0)
            }, seed: seed, body)
    }

    static func authorizePath(
        clientID: String = clientID, redirectURI: String? = redirectURI, state: String? = "state-123", scope: String? = scope,
        responseType: String? = "code", extra: [(String, String)] = []
    ) -> String {
        var items: [(String, String)] = []
        if let responseType { items.append(("response_type", responseType)) }
        items.append(("client_id", clientID))
        if let redirectURI { items.append(("redirect_uri", redirectURI)) }
        if let scope { items.append(("scope", scope)) }
        if let state { items.append(("state", state)) }
        items += extra
        return "/oauth/authorize?" + items.map { "\(Browser.encode($0.0))=\(Browser.encode($0.1))" }.joined(separator: "&")
    }

    /// Authorization request, landing page, DigiD stand-in with a typed BSN, TOTP (enrolling on first
    /// use): returns the consent screen.
    static func loginToConsent(
        _ browser: Browser, authenticator: Authenticator, bsn: String = TestData.bsnOfP1, authorizePath: String = authorizePath()
    ) async throws -> Browser.Page {
        let landing = try await browser.get(authorizePath)
        guard landing.status == 200 else { throw FlowError.unexpected("landing: \(landing.status) \(landing.body)") }
        let login = try await browser.get("/login")
        let submitted = try await browser.post("/login/digid-standin", [("bsn", bsn)], csrf: login.csrf)
        guard submitted.status == 303, submitted.location == "/login/second-factor" else {
            throw FlowError.unexpected("login: \(submitted.status) \(submitted.body)")
        }
        let factor = try await browser.get("/login/second-factor")
        if let secret = factor.totpSecret, !authenticator.isEnrolled { try authenticator.enrol(base32: secret) }
        let confirmed = try await browser.post("/login/second-factor", [("code", try authenticator.nextCode())], csrf: factor.csrf)
        guard confirmed.status == 303, confirmed.location == "/oauth/consent" else {
            throw FlowError.unexpected("second factor: \(confirmed.status) \(confirmed.body)")
        }
        return try await browser.get("/oauth/consent")
    }

    /// The whole browser part, ending with the code from the redirect.
    static func authorizationCode(
        _ gateway: RunningGateway, period: String = "3-months", authorizePath: String = authorizePath()
    ) async throws -> String {
        try await Browser.using(gateway) { browser in
            let consent = try await loginToConsent(browser, authenticator: Authenticator(), authorizePath: authorizePath)
            let redirect = try await browser.post("/oauth/consent", [("period", period), ("decision", "allow")], csrf: consent.csrf)
            guard redirect.status == 302, let code = redirect.redirectParameter("code") else {
                throw FlowError.unexpected("consent: \(redirect.status) \(redirect.body)")
            }
            return code
        }
    }

    /// `POST /oauth/token` as a PGO app over mutual TLS.
    static func token(
        _ gateway: RunningGateway, _ fields: [(String, String)], as party: DevPKI.Party = .pgoDemo, tls: TLSConfiguration? = nil
    ) async throws -> RunningGateway.Reply {
        let body = fields.map { "\(Browser.encode($0.0))=\(Browser.encode($0.1))" }.joined(separator: "&")
        return try await gateway.request(
            .POST, "/oauth/token", as: party, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8),
            tls: tls)
    }

    static func exchange(
        _ gateway: RunningGateway, code: String, redirectURI: String = redirectURI, clientID: String? = clientID,
        as party: DevPKI.Party = .pgoDemo, tls: TLSConfiguration? = nil
    ) async throws -> RunningGateway.Reply {
        var fields = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI)]
        if let clientID { fields.append(("client_id", clientID)) }
        return try await token(gateway, fields, as: party, tls: tls)
    }

    static func refresh(_ gateway: RunningGateway, _ refreshToken: String) async throws -> RunningGateway.Reply {
        try await token(gateway, [("grant_type", "refresh_token"), ("refresh_token", refreshToken)])
    }

    /// The JSON object of a token endpoint reply.
    static func json(_ reply: RunningGateway.Reply) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any] else {
            throw FlowError.unexpected("not a JSON object: \(reply.text)")
        }
        return object
    }

    /// The status a token gets on the FHIR API.
    static func patientStatus(_ gateway: RunningGateway, token: String) async throws -> Int {
        try await gateway.request(.GET, "/fhir/Patient", token: token).status
    }

    /// A second registered PGO app with its own certificate from the dev CA.
    static func registerOtherApp(_ gateway: RunningGateway, clientID: String = "pgo-other.zorgnet.test") async throws -> TLSConfiguration {
        let leaf = try gateway.pki.certificateAuthority().issue(
            LeafCertificateRequest(
                commonName: clientID, dnsNames: [clientID], usages: [.client],
                notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400)))
        let identity = CertificateIdentity(leaf.certificate)
        try await PartyRegistry(database: gateway.database).register(
            Party(partyID: "pgo-other", kind: .app, displayName: "Andere PGO", clientID: clientID),
            certificate: PartyCertificate(
                fingerprintSHA256: identity.fingerprintSHA256, partyID: "pgo-other", subject: identity.subject,
                notValidAfter: Instant.format(identity.notValidAfter)))
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(gateway.pki.caCertificatePath))
        tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(leaf.certificatePEM.utf8)).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(leaf.privateKeyPEM.utf8), format: .pem))
        return tls
    }
}
