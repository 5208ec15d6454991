import Audit
import Foundation
import Testing

@testable import Gateway

/// Every request becomes one event of the right kind (NEN 7513 event types), with who acted.
@Suite("Audit event kinds")
struct AuditEventKindTests {
    @Test("requests are classified by method, path and outcome when the handler does not say", arguments: [
        ("GET", "/fhir/metadata", 200, AuditEventKind.capabilities),
        ("GET", "/fhir/Patient/p1", 200, .read),
        ("GET", "/fhir/Patient/p1/_history", 200, .history),
        ("GET", "/fhir/Patient/p1/_history/2", 200, .vread),
        ("GET", "/fhir/Observation?code=x", 200, .search),
        ("POST", "/fhir/Observation/_search", 200, .search),
        ("GET", "/fhir/Observation/$lastn?code=x", 200, .search),
        ("POST", "/fhir/Observation", 201, .create),
        ("POST", "/fhir/Observation/$validate", 200, .validate),
        ("POST", "/fhir", 200, .push),
        ("POST", "/oauth/token", 200, .tokenIssue),
        ("POST", "/oauth/revoke", 200, .tokenRevoke),
        ("GET", "/oauth/authorize?client_id=x", 200, .authorize),
        ("POST", "/login/digid-standin", 303, .login),
        ("POST", "/login/second-factor", 400, .loginFailed),
        ("GET", "/login", 200, .pageView),
        ("POST", "/logout", 303, .logout),
        ("GET", "/portal/apps", 200, .pageView),
        ("POST", "/portal/members", 303, .consentChange),
        ("GET", "/care/patients/p1", 200, .recordView),
        ("GET", "/audit/AuditEvent", 200, .auditQuery),
    ])
    func classification(_ method: String, _ path: String, _ status: Int, _ expected: AuditEventKind) {
        #expect(AuditEventClassification.kind(method: method, path: path, status: status) == expected)
    }

    static func lastEvent(_ gateway: RunningGateway) async throws -> AuditEvent {
        try #require(try await gateway.auditRecords().last?.event)
    }

    @Test("FHIR reads, searches and capability requests are recorded as such, with the patient")
    func fhirKinds() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let token = try await gateway.token(patient: "p1")
            _ = try await gateway.request(.GET, "/fhir/metadata")
            #expect(try await Self.lastEvent(gateway).kind == .capabilities)
            _ = try await gateway.request(.GET, "/fhir/Patient/p1", token: token)
            let read = try await Self.lastEvent(gateway)
            #expect(read.kind == .read && read.patientID == "p1" && read.userID == nil)
            _ = try await gateway.request(.GET, "/fhir/Observation?code=http://loinc.org%7C85354-9", token: token)
            #expect(try await Self.lastEvent(gateway).kind == .search)
        }
    }

    @Test("a refresh is recorded as a refresh, and a reused refresh token as misuse")
    func tokenKinds() async throws {
        try await OAuthFlow.withGateway { gateway in
            let code = try await OAuthFlow.authorizationCode(gateway, period: "1-year")
            let first = try OAuthFlow.json(try await OAuthFlow.exchange(gateway, code: code))
            #expect(try await Self.lastEvent(gateway).kind == .tokenIssue)
            let refresh = try #require(first["refresh_token"] as? String)
            _ = try await OAuthFlow.refresh(gateway, refresh)
            #expect(try await Self.lastEvent(gateway).kind == .tokenRefresh)
            _ = try await OAuthFlow.refresh(gateway, refresh)
            let misuse = try await Self.lastEvent(gateway)
            #expect(misuse.kind == .tokenMisuse)
            #expect(misuse.status == 400)
        }
    }

    @Test("logins, failed logins and the patient's consent changes name the person who acted")
    func frontKinds() async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                let login = try await browser.get("/login")
                _ = try await browser.post("/login/digid-standin", [("bsn", "123456789")], csrf: login.csrf)
                #expect(try await Self.lastEvent(gateway).kind == .loginFailed)

                _ = try await PortalFlow.connectApp(gateway, browser: browser)
                let events = try await gateway.auditRecords().map(\.event)
                let loggedIn = try #require(events.last { $0.kind == .login })
                #expect(loggedIn.userID == "citizen:p1")
                let granted = try #require(events.last { $0.kind == .consentGrant })
                #expect(granted.userID == "citizen:p1" && granted.patientID == "p1")
                #expect(granted.entities.first?.hasPrefix("Consent/pgo-") == true)

                let apps = try await browser.get("/portal/apps")
                #expect(try await Self.lastEvent(gateway).kind == .pageView)
                _ = try await browser.post("/portal/apps/revoke", [("client_id", OAuthFlow.clientID)], csrf: apps.csrf)
                let revoked = try await Self.lastEvent(gateway)
                #expect(revoked.kind == .consentRevoke, "\(revoked)")
                #expect(revoked.userID == "citizen:p1")
                #expect(revoked.patientID == "p1")
            }
        }
    }

    @Test("a hospital's push is recorded as exchange.push, an app's batch of measurements as exchange.share")
    func exchangeKinds() async throws {
        try await GatewayHarness.withGateway(seed: BgZQueryTests.seedDemo) { gateway in
            try await PushFixtures.permitPush(gateway)
            #expect(try await PushFixtures.push(gateway, try PushFixtures.discharge()).status == 200)
            let push = try await Self.lastEvent(gateway)
            #expect(push.kind == .push && push.partyKind == "organization" && push.patientID == PushFixtures.diabetesPatient)

        }
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            try await CreateResourceTests.consentToWrite(gateway)
            let token = try await gateway.token(patient: "p1")
            let body = try BatchShareTests.batch([("Observation", CreateResourceTests.measurement())])
            #expect(try await gateway.request(.POST, "/fhir", token: token, headers: CreateResourceTests.json, body: body).status == 200)
            let share = try await Self.lastEvent(gateway)
            #expect(share.kind == .share && share.patientID == "p1")
        }
    }

    @Test("history, vread, create and $validate over HTTP each leave their own kind")
    func moreFHIRKinds() async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            try await CreateResourceTests.consentToWrite(gateway)
            let token = try await gateway.token(patient: "p1")
            _ = try await gateway.request(.GET, "/fhir/Patient/p1/_history", token: token)
            #expect(try await Self.lastEvent(gateway).kind == .history)
            _ = try await gateway.request(.GET, "/fhir/Patient/p1/_history/1", token: token)
            #expect(try await Self.lastEvent(gateway).kind == .vread)
            let created = try await gateway.request(
                .POST, "/fhir/Observation", token: token, headers: CreateResourceTests.json, body: CreateResourceTests.measurement())
            #expect(created.status == 201)
            #expect(try await Self.lastEvent(gateway).kind == .create)
            _ = try await gateway.request(
                .POST, "/fhir/Observation/$validate", token: token, headers: CreateResourceTests.json, body: CreateResourceTests.measurement())
            #expect(try await Self.lastEvent(gateway).kind == .validate)
        }
    }

    @Test("the authorization request, a token revocation, a member consent change and a logout each leave their own kind")
    func moreFrontKinds() async throws {
        try await PortalFlow.withGateway { gateway in
            try await Browser.using(gateway) { browser in
                _ = try await browser.get(OAuthFlow.authorizePath())
                #expect(try await Self.lastEvent(gateway).kind == .authorize)
                let tokens = try await PortalFlow.connectApp(gateway, browser: browser, period: "1-year")
                let form = [("Content-Type", "application/x-www-form-urlencoded")]
                _ = try await gateway.request(.POST, "/oauth/revoke", headers: form, body: Array("token=\(tokens.refresh)".utf8))
                #expect(try await Self.lastEvent(gateway).kind == .tokenRevoke)

                let members = try await browser.get("/portal/members")
                _ = try await browser.post("/portal/members", [("member_id", "rp-p1-partner"), ("category", "medication")], csrf: members.csrf)
                let changed = try await Self.lastEvent(gateway)
                #expect(changed.kind == .consentChange && changed.userID == "citizen:p1", "\(changed)")

                let page = try await browser.get("/portal")
                _ = try await browser.post("/logout", [], csrf: page.csrf)
                #expect(try await Self.lastEvent(gateway).kind == .logout)
            }
        }
    }

    @Test("a MedMij list loaded by the operator is a registry change")
    func registryKind() async throws {
        try await GatewayHarness.withGateway { gateway in
            try await ListAdministrationTests.administration(gateway).load(.whitelist, file: ListAdministrationTests.fixture(.whitelist))
            #expect(try await Self.lastEvent(gateway).kind == .registryChange)
        }
    }
}
