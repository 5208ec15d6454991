import Audit
import Auth
import Consent
import Exchange
import FHIR
import Foundation
import GRDB
import NIOSSL
import Store
import Synchronization
import Testing

@testable import Gateway

/// Two gateways on loopback, over real mutual TLS sockets: P (the patient's) collects the hospital
/// H's BgZ with the full MedMij authorization flow, shares self-measurements with H, and H pushes a
/// summary into P.
@Suite("Two gateways talk to each other", .serialized)
struct TwoGatewaysTests {
    @Test("P collects H's BgZ: authorized at H in the browser, 28 queries over mutual TLS, stored with provenance, answered to P's apps, pulled again with the sealed refresh token")
    func collectFromAnotherGateway() async throws {
        try await TwoGateways.run { pair in
            let atH = try await Self.ids(pair.hospital, patient: TwoGateways.patientAtH, path: "/fhir/Condition")
            #expect(!atH.isEmpty)
            let result = try await pair.browser { browser in
                _ = try await TwoGateways.login(browser, front: pair.patientFront, authenticator: Authenticator())
                let portal = try await browser.get(pair.patientFront + "/portal/exchange")
                #expect(portal.status == 200)
                #expect(portal.body.contains("Demo Ziekenhuis"))
                let started = try await browser.post(pair.patientFront + "/portal/collect", [("ura", TwoGateways.ura)], csrf: portal.csrf)
                #expect(started.status == 302)
                let authorize = try #require(started.location)
                #expect(authorize.hasPrefix(pair.hospitalFront + "/oauth/authorize?"))
                #expect(authorize.contains("scope=\(TwoGateways.providerScope)&"))
                let landing = try await browser.get(authorize)
                let back = try await pair.consentAtHospital(browser, landing: landing)
                return try await browser.follow(back, from: pair.hospitalFront + "/oauth/consent")
            }
            #expect(result.status == 200, "\(result.body.prefix(500))")
            #expect(result.body.components(separatedBy: "<tr><th scope=\"row\">").count - 1 == 28, "one row per BgZ query")
            #expect(!result.body.contains("mislukt"), "\(result.body)")

            // Every H Condition is now in P's record, under its own local id, with provenance.
            let p = pair.patientGateway
            let store = CollectStore(database: p.database)
            for remote in atH {
                let local = CollectedResourceMapper.localID(providerName: TwoGateways.providerName, type: "Condition", remoteID: remote)
                let provenance = try await store.provenance(type: "Condition", id: local)
                #expect(provenance.count == 1)
                #expect(provenance.first?.sourceURA == TwoGateways.ura)
                #expect(provenance.first?.sourceReference == "Condition/\(remote)")
                #expect(provenance.first?.query == "Condition")
            }
            let runs = try await Self.outcomeRows(p)
            #expect(runs.count == 28)
            #expect(runs.allSatisfy { $0 == "stored" })

            // P's PGO apps get the collected data in their BgZ answers, and a FHIR Provenance naming H.
            let token = try await p.token(patient: TwoGateways.patientAtP)
            let atP = try await Self.ids(p, patient: TwoGateways.patientAtP, path: "/fhir/Condition", token: token)
            let collected = Set(atH.map { CollectedResourceMapper.localID(providerName: TwoGateways.providerName, type: "Condition", remoteID: $0) })
            #expect(collected.isSubset(of: Set(atP)))
            let first = try #require(collected.first)
            let provenance = try await p.request(.GET, "/fhir/Provenance?target=Condition/\(first)", token: token)
            let agent = try provenance.json()["entry"]?.elements.first?["resource"]?["agent"]?.elements.first?["whoReference"]
            #expect(agent?["identifier"]?["value"]?.stringValue == TwoGateways.ura, "\(provenance.text.prefix(400))")

            let events = try await p.auditRecords().map(\.event)
            #expect(events.filter { $0.kind == .collect && $0.path.hasPrefix("collect ") }.count == 28)
            #expect(events.contains { $0.kind == .collect && $0.path.hasPrefix("/oauth/callback") && $0.status == 200 })
            let hEvents = try await pair.hospital.auditRecords().map(\.event)
            #expect(hEvents.contains { $0.kind == .consentGrant && $0.patientID == TwoGateways.patientAtH })

            // `zorgnet pull`: the sealed refresh token gets a new access token and the queries run again.
            let audited = AuditedEvents()
            let service = CollectService(database: p.database, dataDirectory: p.dataDirectory.path, audit: { audited.append($0) })
            let reported = Mutex<[Int]>([])
            let outcomes = try await service.pull(patientID: TwoGateways.patientAtP, ura: TwoGateways.ura) { outcome in
                reported.withLock { $0.append(outcome.queryNumber) }
            }
            #expect(outcomes.count == 28)
            #expect(outcomes.allSatisfy { $0.kind == .stored }, "\(outcomes.filter { $0.kind == .failed })")
            #expect(reported.withLock { $0 } == Array(1...28), "each query's outcome is reported as it finishes")
            let again = try await store.provenance(
                type: "Condition", id: CollectedResourceMapper.localID(providerName: TwoGateways.providerName, type: "Condition", remoteID: atH[0]))
            #expect(again.map(\.version) == [1, 2])
            #expect(audited.events.filter { $0.kind == .collect }.count >= 28)
            // The refresh token was rotated at H and the new one kept: a second pull works as well.
            let third = try await service.pull(patientID: TwoGateways.patientAtP, ura: TwoGateways.ura)
            #expect(third.allSatisfy { $0.kind == .stored })
        }
    }

    @Test("P shares chosen self-measurements with H: confirmed at H under the share scope, sent as one batch over mutual TLS, each answer shown and audited on both sides")
    func shareSelfMeasurements() async throws {
        try await TwoGateways.run { pair in
            let before = try await ShareSource(database: pair.hospital.database).observations(patientID: TwoGateways.patientAtH).count
            let (result, consentPage) = try await pair.browser { browser in
                _ = try await TwoGateways.login(browser, front: pair.patientFront, authenticator: Authenticator())
                let exchange = try await browser.get(pair.patientFront + "/portal/exchange")
                #expect(exchange.body.contains("href=\"/portal/share?ura=\(TwoGateways.ura)\""))
                let choose = try await browser.get(pair.patientFront + "/portal/share?ura=\(TwoGateways.ura)")
                #expect(choose.status == 200)
                let offered = Self.captures(#"name="measurement" value="([^"]+)""#, in: choose.body)
                #expect(offered.count >= 2, "\(choose.body)")
                #expect(choose.body.contains("<label class=\"choice\" for=\"measurement-0\">"))
                let chosen = Array(offered.prefix(2))
                let started = try await browser.post(
                    pair.patientFront + "/portal/share", [("ura", TwoGateways.ura)] + chosen.map { ("measurement", $0) }, csrf: choose.csrf)
                #expect(started.status == 302, "\(started.body.prefix(300))")
                let authorize = try #require(started.location)
                #expect(authorize.contains("scope=\(TwoGateways.providerScope)%7E5&"))
                let landing = try await browser.get(authorize)
                #expect(landing.status == 200, "\(landing.body.prefix(300))")
                _ = try await TwoGateways.login(browser, front: pair.hospitalFront, authenticator: Authenticator())
                let consent = try await browser.get(pair.hospitalFront + "/oauth/consent")
                let back = try await browser.post(
                    pair.hospitalFront + "/oauth/consent", [("period", "once"), ("decision", "allow")], csrf: consent.csrf)
                #expect(back.location?.hasPrefix(pair.redirectURI + "?code=") == true)
                return (try await browser.follow(back, from: pair.hospitalFront + "/oauth/consent"), consent)
            }
            #expect(consentPage.body.contains("eigen metingen naar uw dossier"), "the consent screen says what is asked: sending in")
            #expect(result.status == 200, "\(result.body.prefix(600))")
            #expect(result.body.components(separatedBy: "<td>ontvangen</td>").count - 1 == 2, "\(result.body)")

            // H stored both in its patient's record; the consent it recorded lets P share, not collect.
            let after = try await ShareSource(database: pair.hospital.database).observations(patientID: TwoGateways.patientAtH)
            #expect(after.count == before + 2)
            let consents = try await ConsentRepository(database: pair.hospital.database).latestVersions(patientID: TwoGateways.patientAtH)
                .filter { $0.root.actors == [.pgoApp(TwoGateways.clientID)] }
            #expect(consents.count == 1)
            #expect(consents.first?.root.actions == [.share])
            let hEvents = try await pair.hospital.auditRecords().map(\.event)
            #expect(hEvents.contains { $0.kind == .share && $0.partyID == "gateway-p" && $0.detail == "batch: 2 of 2 entries created" })

            let pEvents = try await pair.patientGateway.auditRecords().map(\.event)
            let shared = try #require(pEvents.last { $0.path.hasPrefix("/oauth/callback") })
            #expect(shared.kind == .share)
            #expect(shared.detail == "share with Demo Ziekenhuis: 2 of 2 measurement(s) received")
            #expect(shared.entities.count == 2)
        }
    }

    @Test("H pushes the discharge summary into P with its hospital certificate: matched by BSN, accepted with the patient's push consent, stored with a Provenance naming the hospital")
    func hospitalPushesIntoPatientGateway() async throws {
        try await TwoGateways.run { pair in
            let p = pair.patientGateway
            try await PushFixtures.permitPush(p, patient: TwoGateways.patientAtP)
            // H's own hospital certificate and key; P's CA for P's server certificate.
            var tls = try GatewayHarness.clientTLS(pki: pair.hospital.pki, as: .hospitalDemo)
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(p.pki.caCertificatePath))
            let reply = try await p.request(.POST, "/fhir", headers: PushFixtures.json, body: try PushFixtures.discharge(), tls: tls)
            #expect(reply.status == 200, "\(reply.text.prefix(600))")
            #expect(try reply.json()["type"]?.stringValue == "transaction-response")
            let condition = try #require(try PushFixtures.locations(reply)[4])
            let token = try await p.token(patient: TwoGateways.patientAtP)
            let target = condition.split(separator: "/").prefix(2).joined(separator: "/")
            let provenance = try await p.request(.GET, "/fhir/Provenance?target=\(target)", token: token)
            let agent = try provenance.json()["entry"]?.elements.first?["resource"]?["agent"]?.elements.first?["whoReference"]
            #expect(agent?["identifier"]?["value"]?.stringValue == TwoGateways.ura)
            let events = try await p.auditRecords().map(\.event)
            #expect(events.contains { $0.kind == .push && $0.partyID == "hospital-demo" && $0.status == 200 })
        }
    }

    // MARK: - Helpers

    static func captures(_ pattern: String, in text: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// Ids of the resources a search answers for the patient, with a demo-app token.
    static func ids(_ gateway: RunningGateway, patient: String, path: String, token: String? = nil) async throws -> [String] {
        let token = try await Self.token(gateway, patient: patient, given: token)
        let reply = try await gateway.request(.GET, path, token: token)
        #expect(reply.status == 200)
        return try (reply.json()["entry"]?.elements ?? []).compactMap { $0["resource"]?["id"]?.stringValue }
    }

    private static func token(_ gateway: RunningGateway, patient: String, given: String?) async throws -> String {
        if let given { return given }
        return try await gateway.token(patient: patient)
    }

    static func outcomeRows(_ gateway: RunningGateway) async throws -> [String] {
        try await gateway.database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT outcome FROM collect_query_outcome ORDER BY query_number")
        }
    }
}

/// Audit events a service wrote, for a test that runs it outside a gateway.
final class AuditedEvents: Sendable {
    private let stored = Mutex<[AuditEvent]>([])
    var events: [AuditEvent] { stored.withLock { $0 } }
    func append(_ event: AuditEvent) { stored.withLock { $0.append(event) } }
}
