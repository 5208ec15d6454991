import Consent
import FHIR
import Foundation
import Store
import Testing

@testable import Gateway

/// Drives the patient portal the way a patient's browser does.
enum PortalFlow {
    /// ``OAuthFlow/seed(_:)`` plus a partner of p1 as a RelatedPerson member of p1's PZC, next to the GP.
    static func seed(_ database: GatewayDatabase) async throws {
        try await OAuthFlow.seed(database)
        let partner: FHIRValue = [
            "resourceType": "RelatedPerson", "id": "rp-p1-partner",
            "patient": ["reference": "Patient/p1"],
            "relationship": ["coding": [["system": "http://hl7.org/fhir/v3/RoleCode", "code": "HUSB", "display": "Echtgenoot"]]],
            "name": [["family": "Jansen", "given": ["Karel"]]],
        ]
        try await ConsentTestData.store([partner], in: database)
        let records = PZCRecords(database: database)
        _ = try await records.record(
            PZCRecord(
                pzcID: "pzc-p1", title: "Zorgnet van Test Jansen", patientResourceID: "p1", patientName: "Test Jansen",
                bsn: TestData.bsnOfP1, importedAt: "2026-01-02T00:00:00.000Z", entryCounts: [:]),
            resources: [
                PZCResourceLink(type: "Patient", id: "p1", entryID: "patient"), PZCResourceLink(type: "Practitioner", id: "gp1", entryID: "m-gp"),
                PZCResourceLink(type: "RelatedPerson", id: "rp-p1-partner", entryID: "m-partner"),
            ])
    }

    static func withGateway(_ body: @Sendable (RunningGateway) async throws -> Void) async throws {
        try await GatewayHarness.withGateway(configure: { $0.loginStandIns = true }, seed: seed, body)
    }

    /// Logs in with the DigiD stand-in and the TOTP step, with no app waiting: ends logged in.
    static func login(_ browser: Browser, authenticator: Authenticator = Authenticator(), bsn: String = TestData.bsnOfP1) async throws {
        let login = try await browser.get("/login")
        let submitted = try await browser.post("/login/digid-standin", [("bsn", bsn)], csrf: login.csrf)
        guard submitted.status == 303 else { throw FlowError.unexpected("login: \(submitted.status) \(submitted.body)") }
        let factor = try await browser.get("/login/second-factor")
        if let secret = factor.totpSecret, !authenticator.isEnrolled { try authenticator.enrol(base32: secret) }
        let confirmed = try await browser.post("/login/second-factor", [("code", try authenticator.nextCode())], csrf: factor.csrf)
        guard confirmed.status == 303 else { throw FlowError.unexpected("second factor: \(confirmed.status) \(confirmed.body)") }
    }

    /// The OAuth flow in `browser` (which stays logged in afterwards) and the token exchange: the
    /// access and refresh tokens the demo PGO app now holds.
    static func connectApp(
        _ gateway: RunningGateway, browser: Browser, period: String = "3-months", authenticator: Authenticator = Authenticator()
    ) async throws -> (access: String, refresh: String) {
        let consent = try await OAuthFlow.loginToConsent(browser, authenticator: authenticator)
        let redirect = try await browser.post("/oauth/consent", [("period", period), ("decision", "allow")], csrf: consent.csrf)
        let code = try #require(redirect.redirectParameter("code"), "consent: \(redirect.status) \(redirect.body)")
        let json = try OAuthFlow.json(try await OAuthFlow.exchange(gateway, code: code))
        return (try #require(json["access_token"] as? String), try #require(json["refresh_token"] as? String))
    }

    /// The consent of `patient` that names only the demo PGO app, latest version.
    static func appConsents(_ gateway: RunningGateway, patient: String = "p1") async throws -> [ConsentRecord] {
        try await ConsentRepository(database: gateway.database).latestVersions(patientID: patient)
            .filter { $0.root.actors == [.pgoApp(OAuthFlow.clientID)] }
    }
}
