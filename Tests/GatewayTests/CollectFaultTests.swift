import Audit
import Auth
import Exchange
import Foundation
import GRDB
import Store
import Testing

@testable import Gateway

/// What goes wrong at a provider while collecting, over real mutual TLS sockets: each fault gives the
/// patient (page) or the operator (`pull`) a clear error, stores nothing of the failed part, and is
/// audited as a collect (or, for another patient's data, as a security incident).
@Suite("Collecting from a faulty provider", .serialized)
struct CollectFaultTests {
    static let providerName = "faulty@medmij"
    static let ura = "90000999"
    static let state = "state-of-this-browser"
    static let binding = "binding-of-this-browser"
    static let conditionQuery = BgZQueries.all.first { $0.path == "Condition" }?.number ?? 0

    // MARK: - The patient's page

    @Test("an unreachable provider: 502 page, nothing collected, audited as a collect that could not reach the host")
    func unreachable() async throws {
        try await Self.withGateway { gateway in
            try await Self.configure(gateway, base: "https://127.0.0.1:1")
            let before = try await Self.counts(gateway)
            let page = try await Self.callback(gateway)
            #expect(page.status == 502)
            #expect(page.body.contains("kon niet veilig worden bereikt. Er is niets opgehaald"))
            #expect(try await Self.counts(gateway) == before)
            let event = try #require(try await Self.callbackEvent(gateway))
            #expect(event.kind == .collect)
            #expect(event.detail?.contains("cannot be reached") == true, "\(event.detail ?? "-")")
        }
    }

    @Test("a server certificate from a CA the endpoint does not trust is refused before anything is sent")
    func untrustedCertificate() async throws {
        try await Self.withGateway { gateway in
            let pki = try CollectFaultProvider.PKI(serverNames: ["localhost"])
            try await CollectFaultProvider.run(.wellBehaved, pki: pki, clientCA: gateway.pki.caCertificatePath) { port in
                // The gateway's own CA as the anchor: the provider's certificate does not chain to it.
                try await Self.configure(gateway, base: "https://localhost:\(port)", anchors: gateway.pki.caCertificatePath)
                let before = try await Self.counts(gateway)
                let page = try await Self.callback(gateway)
                #expect(page.status == 502)
                #expect(try await Self.counts(gateway) == before)
                let event = try #require(try await Self.callbackEvent(gateway))
                #expect(event.kind == .collect)
                #expect(event.detail?.contains("is not trusted for this endpoint") == true, "\(event.detail ?? "-")")
            }
        }
    }

    @Test("a trusted certificate issued for another host is refused")
    func wrongHost() async throws {
        try await Self.withGateway { gateway in
            let pki = try CollectFaultProvider.PKI(serverNames: ["provider.example"])
            try await CollectFaultProvider.run(.wellBehaved, pki: pki, clientCA: gateway.pki.caCertificatePath) { port in
                try await Self.configure(gateway, base: "https://localhost:\(port)", anchors: pki.caPath)
                let before = try await Self.counts(gateway)
                let page = try await Self.callback(gateway)
                #expect(page.status == 502)
                #expect(try await Self.counts(gateway) == before)
                let event = try #require(try await Self.callbackEvent(gateway))
                #expect(event.detail?.contains("is not issued for localhost") == true, "\(event.detail ?? "-")")
            }
        }
    }

    @Test("a token endpoint error: the page says the provider gave no access, nothing is collected")
    func tokenEndpointErrorOnThePage() async throws {
        try await Self.withFaultyProvider(.tokenError("invalid_grant")) { gateway in
            let before = try await Self.counts(gateway)
            let page = try await Self.callback(gateway)
            #expect(page.status == 502)
            #expect(page.body.contains("gaf geen toegang tot uw gegevens"))
            #expect(try await Self.counts(gateway) == before)
            #expect(try await Self.callbackEvent(gateway)?.detail?.contains("refused with invalid_grant") == true)
        }
    }

    @Test("malformed FHIR in one answer: that query fails and stores nothing, the others are stored, the patient sees which")
    func malformedAnswer() async throws {
        try await Self.withFaultyProvider(.malformedConditions) { gateway in
            let page = try await Self.callback(gateway)
            #expect(page.status == 200)
            #expect(page.body.components(separatedBy: "mislukt").count - 1 == 1, "\(page.body)")
            #expect(try await Self.stored(gateway, "cond-own") == false)
            let events = try await gateway.auditRecords().map(\.event).filter { $0.path == "collect \(Self.providerName)" }
            #expect(events.count == 28)
            let failed = events.filter { $0.status == 502 }
            #expect(failed.count == 1)
            #expect(failed.first?.detail?.hasPrefix(
                "BgZ query \(Self.conditionQuery) from \(Self.providerName) failed after 1 attempt(s): the answer is not usable FHIR") == true)
        }
    }

    @Test("a resource of another patient in an answer is refused and audited as a security incident; the patient's own is stored")
    func resourceOfAnotherPatient() async throws {
        try await Self.withFaultyProvider(.conditionOfAnotherPatient) { gateway in
            let page = try await Self.callback(gateway)
            #expect(page.status == 200)
            #expect(page.body.contains("1 opgenomen, 1 geweigerd"))
            #expect(try await Self.stored(gateway, "cond-own"))
            #expect(try await Self.stored(gateway, "cond-other") == false)
            let incidents = try await gateway.auditRecords().map(\.event).filter { $0.kind == .collectRefused }
            #expect(incidents.count == 1)
            #expect(incidents.first?.patientID == "p1")
            #expect(incidents.first?.detail?.contains("of another patient") == true)
            #expect(incidents.first?.detail?.contains("someone-else") == false, "the other patient is not named in the log")
        }
    }

    // MARK: - The operator's pull and the service

    @Test("a token endpoint error on pull: a typed error for the caller, the refresh token dropped, audited")
    func tokenEndpointErrorOnPull() async throws {
        try await Self.withFaultyProvider(.tokenError("invalid_grant")) { gateway in
            let audited = AuditedEvents()
            let service = Self.service(gateway, audited)
            let endpoint = try await service.endpoints.resolvedEndpoint(ura: Self.ura, dataServiceID: ProviderEndpoints.bgzDataServiceID)
            try await service.keep("rt-old", patientID: "p1", endpoint: endpoint)
            await #expect(throws: CollectError.tokenExchange(.oauthError(code: "invalid_grant", status: 400))) {
                _ = try await service.pull(patientID: "p1", ura: Self.ura)
            }
            #expect(try await service.store.sealedRefreshToken(patientID: "p1", providerName: Self.providerName, dataServiceID: "1") == nil)
            #expect(audited.events.map(\.kind) == [.collect])
            #expect(audited.events.first?.status == 502)
        }
    }

    @Test("pull for a provider the ZAL does not list and without local URLs names the ZAL")
    func pullWithoutURLsNamesTheZAL() async throws {
        try await Self.withGateway { gateway in
            try await ProviderEndpointStore(database: gateway.database).save(
                ProviderEndpointSetting(
                    providerName: Self.providerName, dataServiceID: "1", ura: Self.ura, trustAnchorsPath: gateway.pki.caCertificatePath,
                    clientCertificatePath: TwoGateways.clientCertificatePath(gateway.dataDirectory.path),
                    clientKeyPath: TwoGateways.clientKeyPath(gateway.dataDirectory.path)))
            do {
                _ = try await Self.service(gateway, AuditedEvents()).pull(patientID: "p1", ura: Self.ura)
                Issue.record("pull without URLs succeeded")
            } catch let error as CollectError {
                #expect("\(error)".contains("Zorgaanbiederslijst (ZAL)"), "\(error)")
            }
        }
    }

    @Test("a provider slower than the configured timeouts: the token request times out; a slow query fails alone after its retries")
    func tooSlow() async throws {
        try await Self.withFaultyProvider(.slowToken(seconds: 3)) { gateway in
            var service = Self.service(gateway, AuditedEvents())
            service.timeouts = OutboundTimeouts(connect: .seconds(1), token: .seconds(1), resource: .seconds(1))
            let pending = try await service.claim(state: Self.state, binding: Self.binding)
            await #expect(throws: CollectError.tokenExchange(.timeout(host: "localhost", limitSeconds: 1))) {
                _ = try await service.complete(pending, code: "c", error: nil)
            }
        }
        try await Self.withFaultyProvider(.slowConditions(seconds: 3)) { gateway in
            var service = Self.service(gateway, AuditedEvents())
            service.timeouts = OutboundTimeouts(connect: .seconds(1), token: .seconds(1), resource: .seconds(1))
            service.retry = RetryPolicy(attempts: 2, firstDelay: .milliseconds(10))
            let pending = try await service.claim(state: Self.state, binding: Self.binding)
            let outcomes = try await service.complete(pending, code: "c", error: nil).outcomes
            let slow = try #require(outcomes.first { $0.queryNumber == Self.conditionQuery })
            #expect(slow.kind == .failed)
            #expect(slow.attempts == 2)
            #expect(slow.detail == "localhost did not answer within 1 s")
            #expect(outcomes.filter { $0.kind == .stored }.count == 27)
            #expect(try await Self.stored(gateway, "cond-own") == false)
        }
    }

    // MARK: - Support

    /// A gateway with the test patients, a client certificate for the back channel, a collect client
    /// and a pending collection (p1, this test's provider) for the binding and state above.
    static func withGateway(_ body: @Sendable (RunningGateway) async throws -> Void) async throws {
        let path = GatewayHarness.temporaryDirectory()
        try await GatewayHarness.withGateway(
            dataPath: path,
            seed: { database in
                try await OAuthFlow.seed(database)
                try TwoGateways.issueClientCertificate(dataPath: path)
                try await ProviderEndpointStore(database: database).setCollectClient(
                    CollectClientSetting(clientID: "localhost", redirectURI: "https://localhost/oauth/callback"))
                try await CollectStore(database: database).addPending(
                    PendingCollect(
                        patientID: "p1", providerName: providerName, dataServiceID: "1", correlationID: "corr",
                        createdAtMilliseconds: Instant.milliseconds(Date())),
                    stateHash: CollectService.hex(state), bindingHash: CollectService.hex(binding))
            }, body)
    }

    /// ``withGateway(_:)`` with a provider behaving as told, configured as the endpoint.
    static func withFaultyProvider(_ behaviour: CollectFaultProvider.Behaviour, _ body: @Sendable (RunningGateway) async throws -> Void)
        async throws
    {
        try await withGateway { gateway in
            let pki = try CollectFaultProvider.PKI(serverNames: ["localhost"])
            try await CollectFaultProvider.run(behaviour, pki: pki, clientCA: gateway.pki.caCertificatePath) { port in
                try await configure(gateway, base: "https://localhost:\(port)", anchors: pki.caPath)
                try await body(gateway)
            }
        }
    }

    static func configure(_ gateway: RunningGateway, base: String, anchors: String? = nil) async throws {
        let directory = gateway.dataDirectory.path
        try await ProviderEndpointStore(database: gateway.database).save(
            ProviderEndpointSetting(
                providerName: providerName, dataServiceID: "1", ura: ura, displayName: "Faulty", trustAnchorsPath: anchors ?? gateway.pki.caCertificatePath,
                clientCertificatePath: TwoGateways.clientCertificatePath(directory), clientKeyPath: TwoGateways.clientKeyPath(directory),
                authorizationEndpoint: base + "/authorize", tokenEndpoint: base + "/token", resourceEndpoint: base + "/fhir"))
    }

    static func service(_ gateway: RunningGateway, _ audited: AuditedEvents) -> CollectService {
        var service = CollectService(database: gateway.database, dataDirectory: gateway.dataDirectory.path, audit: { audited.append($0) })
        service.retry = RetryPolicy(attempts: 1, firstDelay: .milliseconds(10))
        return service
    }

    /// The provider's redirect back, in the browser that started the collection.
    static func callback(_ gateway: RunningGateway) async throws -> Browser.Page {
        try await Browser.using(gateway) { browser in
            browser.setCookie(CollectRoutes.bindingCookie, binding)
            return try await browser.get("/oauth/callback?code=c&state=\(state)")
        }
    }

    static func callbackEvent(_ gateway: RunningGateway) async throws -> AuditEvent? {
        try await gateway.auditRecords().map(\.event).last { $0.path.hasPrefix("/oauth/callback") }
    }

    /// Resources and collect rows: what a failed collection must leave as it was.
    static func counts(_ gateway: RunningGateway) async throws -> [Int] {
        try await gateway.database.pool.read { db in
            try ["resource", "resource_version", "collect_query_outcome", "collected_provenance"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1
            }
        }
    }

    static func stored(_ gateway: RunningGateway, _ remoteID: String) async throws -> Bool {
        let local = CollectedResourceMapper.localID(providerName: providerName, type: "Condition", remoteID: remoteID)
        return try await gateway.database.pool.read { db in
            try ResourceRepository(database: gateway.database).current(type: "Condition", id: local, in: db) != nil
        }
    }
}
