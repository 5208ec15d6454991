import Audit
import Auth
import Consent
import Foundation
import Store
import Testing

@testable import Gateway

@Suite("Patient portal: who looked at my data")
struct PortalAccessLogTests {
    @Test("the access log names the app, the data in plain words and the date of the consent, in Dutch and English")
    func narrativeAfterCollection() async throws {
        try await PortalFlow.withGateway { gateway in
            // One authenticator app for the patient's two logins: the key is shown only at enrolment.
            let authenticator = Authenticator()
            let tokens = try await Browser.using(gateway) { browser in
                try await PortalFlow.connectApp(gateway, browser: browser, authenticator: authenticator)
            }
            #expect(try await gateway.request(.GET, "/fhir/Observation?code=http://loinc.org%7C85354-9", token: tokens.access).status == 200)
            let consent = try #require(try await PortalFlow.appConsents(gateway).first)
            let now = Date()

            let dutch = PortalDateFormat(language: .nl, now: now)
            try await Browser.using(gateway) { browser in
                try await PortalFlow.login(browser, authenticator: authenticator)
                let page = try await browser.get("/portal/access-log")
                #expect(page.status == 200)
                #expect(page.body.contains("<th scope=\"col\">Wanneer</th>"))
                #expect(page.body.contains("Demo PGO app heeft op \(dutch.day(now)) om "))
                #expect(page.body.contains(" uw vitale functies opgehaald, met uw toestemming van \(dutch.day(consent.recordedAt))."))
                try Self.expectNoSecrets(page.body, gateway: gateway, tokens: [tokens.access, tokens.refresh])

                // The same log in English, after the language switch.
                let english = PortalDateFormat(language: .en, now: now)
                _ = try await browser.get("/language?set=en&back=%2Fportal%2Faccess-log")
                let englishPage = try await browser.get("/portal/access-log")
                #expect(englishPage.body.contains("Demo PGO app collected your vital signs on \(english.day(now)), "))
                #expect(englishPage.body.contains(", with your consent of \(english.day(consent.recordedAt))."))
            }
        }
    }

    @Test("a request the consent did not allow reads as 'asked, but received nothing'")
    func refusedAccess() async throws {
        try await PortalFlow.withGateway { gateway in
            let token = try await gateway.token(patient: "p1", consent: .categories([.labResults]))
            _ = try await gateway.request(.GET, "/fhir/Observation?code=http://loinc.org%7C85354-9", token: token)
            try await Browser.using(gateway) { browser in
                try await PortalFlow.login(browser)
                let page = try await browser.get("/portal/access-log")
                #expect(page.body.contains("om uw vitale functies, maar kreeg niets: daarvoor had u geen toestemming gegeven."))
            }
        }
    }

    @Test("the patient narrows the log by who and by period; a date it cannot read is named and ignored")
    func filters() async throws {
        try await PortalFlow.withGateway { gateway in
            let otherTLS = try await OAuthFlow.registerOtherApp(gateway)
            let fingerprint = try #require(try await PartyRegistry(database: gateway.database).certificates(partyID: "pgo-other").first)
                .fingerprintSHA256
            try await gateway.grantConsent(patient: "p1", categories: [.everything], partyID: "pgo-other")
            let other = try await TokenService(store: AccessTokenStore(database: gateway.database)).issue(
                partyID: "pgo-other", certificateFingerprint: fingerprint, patientID: "p1", lifetime: .seconds(600)).token
            #expect(try await gateway.request(.GET, "/fhir/Patient", token: other, tls: otherTLS).status == 200)
            let demo = try await gateway.token(patient: "p1")
            #expect(try await gateway.request(.GET, "/fhir/Patient", token: demo).status == 200)

            try await Browser.using(gateway) { browser in
                try await PortalFlow.login(browser)
                let all = try await browser.get("/portal/access-log")
                #expect(all.body.contains("Demo PGO app heeft op") && all.body.contains("Andere PGO heeft op"))
                #expect(all.body.contains("<option value=\"pgo-other\">Andere PGO</option>"))
                #expect(PageChecks.problems(all.body).isEmpty, "\(PageChecks.problems(all.body))")

                let onlyOther = try await browser.get("/portal/access-log?actor=pgo-other")
                #expect(onlyOther.body.contains("Andere PGO heeft op"))
                #expect(!onlyOther.body.contains("Demo PGO app heeft op"))
                #expect(onlyOther.body.contains("<option value=\"pgo-other\" selected>"))

                let today = String(Date().formatted(Date.ISO8601FormatStyle(timeZone: .gmt)).prefix(10))
                let todayOnly = try await browser.get("/portal/access-log?from=\(today)&to=\(today)")
                #expect(todayOnly.body.contains("Demo PGO app heeft op"))
                let past = try await browser.get("/portal/access-log?from=2000-01-01&to=2000-12-31")
                #expect(past.body.contains("Er is niets vastgelegd dat bij deze keuze past."))
                #expect(!past.body.contains("heeft op"))

                let unreadable = try await browser.get("/portal/access-log?from=gisteren")
                #expect(unreadable.body.contains("Deze datum begrijpen we niet: gisteren."))
                #expect(unreadable.body.contains("Demo PGO app heeft op"), "the rest of the filter still applies: none")
            }
        }
    }

    @Test("a hospital's pushed summary reads as 'sent a summary to your record', a refused push as 'was not allowed'")
    func pushesInTheLog() async throws {
        try await GatewayHarness.withGateway(configure: { $0.loginStandIns = true }, seed: BgZQueryTests.seedDemo) { gateway in
            // Refused first (no permission yet), then permitted and accepted.
            #expect(try await PushFixtures.push(gateway, try PushFixtures.discharge()).status == 403)
            try await PushFixtures.permitPush(gateway)
            #expect(try await PushFixtures.push(gateway, try PushFixtures.discharge()).status == 200)
            let bsn = try #require(
                try await PZCRecords(database: gateway.database).all().first { $0.patientResourceID == PushFixtures.diabetesPatient }?.bsn)
            try await Browser.using(gateway) { browser in
                try await PortalFlow.login(browser, bsn: bsn)
                let page = try await browser.get("/portal/access-log")
                #expect(page.body.contains("een samenvatting naar uw dossier gestuurd, met uw toestemming van"), "\(page.body)")
                #expect(page.body.contains("gegevens in uw dossier zetten, maar mocht dat niet"))
            }
        }
    }

    @Test("another patient's accesses never appear in this patient's log")
    func onlyOwnAccesses() async throws {
        try await PortalFlow.withGateway { gateway in
            let otherTLS = try await OAuthFlow.registerOtherApp(gateway)
            let fingerprint = try #require(try await PartyRegistry(database: gateway.database).certificates(partyID: "pgo-other").first)
                .fingerprintSHA256
            try await gateway.grantConsent(patient: "p2", categories: [.everything], partyID: "pgo-other")
            let token = try await TokenService(store: AccessTokenStore(database: gateway.database)).issue(
                partyID: "pgo-other", certificateFingerprint: fingerprint, patientID: "p2", lifetime: .seconds(600)).token
            #expect(try await gateway.request(.GET, "/fhir/Patient", token: token, tls: otherTLS).status == 200)
            #expect(try await gateway.auditRecords().contains { $0.event.patientID == "p2" && $0.event.decision != nil })
            try await Browser.using(gateway) { browser in
                try await PortalFlow.login(browser)
                let page = try await browser.get("/portal/access-log")
                #expect(!page.body.contains("Andere PGO"))
                #expect(page.body.contains("Niemand heeft uw gegevens opgehaald."))
            }
        }
    }

    @Test("request paths map to the data categories a patient recognises")
    func accessedData() {
        #expect(AccessedData(path: "/fhir/MedicationStatement?_include=MedicationStatement:medication") == .categories([.medication]))
        #expect(AccessedData(path: "/fhir/Observation/$lastn?code=http://loinc.org%7C85354-9") == .categories([.vitalSigns]))
        #expect(AccessedData(path: "/fhir/Observation?category=http://snomed.info/sct%7C275711006") == .categories([.labResults]))
        #expect(AccessedData(path: "/fhir/Observation?code=http://snomed.info/sct%7C365980008") == .categories([.socialHistory]))
        #expect(AccessedData(path: "/fhir/Observation?_count=5") == .measurements)
        #expect(AccessedData(path: "/fhir/Consent?category=http://snomed.info/sct%7C11291000146105") == .categories([.directives]))
        #expect(AccessedData(path: "/fhir/Consent/c1") == .consents)
        #expect(AccessedData(path: "/fhir/Patient/p1") == .categories([.patientAndContacts]))
        #expect(AccessedData(path: "/oauth/token") == .other)
    }

    @Test("the narrative says who, what, when and on which consent, and nothing an auditor alone needs")
    func narrativeSentence() throws {
        let event = AuditEvent(
            recorded: "2026-03-03T13:02:00.000Z", channel: .back, method: "GET",
            path: "/fhir/MedicationStatement?_include=MedicationStatement:medication", status: 200, partyID: "pgo-demo",
            partyKind: "app", certificateFingerprint: "ab12cd34", patientID: "p1", entities: ["MedicationStatement/ms1"],
            clientAddress: "127.0.0.1:5000", detail: "x",
            decision: ConsentDecisionRecord(outcome: .permit, consents: [ConsentVersion(id: "c1", version: 1)], permitted: 2, denied: 0))
        let consentDate = try #require(Instant.milliseconds(parsing: "2026-03-01T09:00:00.000Z"))
        let now = Date(timeIntervalSince1970: 1_780_000_000)   // in 2026
        func narrative(_ language: FrontLanguage) -> AccessLogNarrative {
            AccessLogNarrative(
                text: PortalText(language: language), dates: PortalDateFormat(language: language, now: now),
                partyNames: ["pgo-demo": "Demo PGO"],
                consentDates: [ConsentVersion(id: "c1", version: 1): Date(timeIntervalSince1970: Double(consentDate) / 1000)])
        }
        #expect(
            narrative(.nl).entry(event)?.sentence
                == "Demo PGO heeft op 3 maart om 14:02 uw medicatie opgehaald, met uw toestemming van 1 maart.")
        #expect(narrative(.en).entry(event)?.sentence == "Demo PGO collected your medication on 3 March, 14:02, with your consent of 1 March.")

        var partial = event
        partial.decision = ConsentDecisionRecord(outcome: .partial, consents: [ConsentVersion(id: "c1", version: 1)], permitted: 1, denied: 1)
        #expect(narrative(.nl).entry(partial)?.sentence.contains("een deel van uw medicatie") == true)
        var noDecision = event
        noDecision.decision = nil
        #expect(narrative(.nl).entry(noDecision) == nil)
    }

    /// No token, certificate fingerprint or BSN on a portal page.
    static func expectNoSecrets(_ body: String, gateway: RunningGateway, tokens: [String]) throws {
        for token in tokens { #expect(!body.contains(token)) }
        let fingerprint = CertificateIdentity(try gateway.pki.certificate(.pgoDemo)).fingerprintSHA256
        #expect(!body.contains(fingerprint))
        #expect(!body.contains(TestData.bsnOfP1))
    }
}
