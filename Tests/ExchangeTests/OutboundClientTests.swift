import Auth
import Exchange
import Foundation
import Testing

/// The backchannel client over real TLS sockets against a tiny provider on loopback.
@Suite("Outbound mutual-TLS client")
struct OutboundClientTests {
    /// For the test that waits for a timeout.
    static let fast = OutboundTimeouts(connect: .seconds(2), token: .seconds(1), resource: .seconds(1))
    /// For every other test: a loaded machine (tests in parallel) can take longer than a second.
    static let patient = OutboundTimeouts(connect: .seconds(10), token: .seconds(10), resource: .seconds(10))

    static func whitelist(_ hosts: Set<String>) -> OutboundClient.WhitelistSource {
        { NodeWhitelist(timestamp: "2026-01-01T00:00:00Z", sequenceNumber: 1, hostnames: hosts) }
    }

    /// Runs `body` with a client and a provider, and always shuts the client down.
    static func withClient(
        whitelist: @escaping OutboundClient.WhitelistSource = { nil }, timeouts: OutboundTimeouts = patient,
        _ body: (OutboundClient) async throws -> Void
    ) async throws {
        let client = OutboundClient(timeouts: timeouts, whitelist: whitelist)
        let outcome = await Result(catching: { try await body(client) })
        try await client.shutdown()
        try outcome.get()
    }

    @Test func aTrustedProviderAnswersATokenRequestSentAsAFormBodyOverMutualTLS() async throws {
        let pki = try OutboundTestPKI()
        defer { pki.remove() }
        let seen = SeenRequests()
        try await OutboundTestServer.run(pki: pki, seen: seen) { port in
            try await Self.withClient(whitelist: Self.whitelist(["localhost"])) { client in
                let token = try await client.requestToken(
                    url: "https://localhost:\(port)/token",
                    form: [("grant_type", "authorization_code"), ("code", "c 1&x"), ("redirect_uri", "https://pgo.test/oauth/callback")],
                    headers: [("X-Correlation-ID", "corr-1")], credentials: pki.credentials())
                #expect(token.accessToken == "at-1")
                #expect(token.refreshToken == "rt-1")
                #expect(token.expiresIn == 900)
                #expect(!token.description.contains("at-1"), "the description must not show the token")
            }
        }
        #expect(await seen.body == "grant_type=authorization_code&code=c+1%26x&redirect_uri=https%3A%2F%2Fpgo.test%2Foauth%2Fcallback")
        #expect(await seen.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(await seen.headers["x-correlation-id"] == "corr-1")
    }

    @Test func aFHIRSearchCarriesTheBearerTokenAndIsParsed() async throws {
        let pki = try OutboundTestPKI()
        defer { pki.remove() }
        let seen = SeenRequests()
        try await OutboundTestServer.run(pki: pki, seen: seen) { port in
            try await Self.withClient { client in
                let bundle = try await client.fetchFHIR(
                    url: "https://localhost:\(port)/fhir/Patient", bearer: "at-1", headers: [], credentials: pki.credentials())
                #expect(bundle.resourceType == "Bundle")
            }
        }
        #expect(await seen.headers["authorization"] == "Bearer at-1")
    }

    @Test func aServerCertificateFromAnotherCAIsRefusedEvenIfTheSystemWouldTrustIt() async throws {
        let pki = try OutboundTestPKI()
        defer { pki.remove() }
        let now = Date()
        let foreign = try CertificateAuthority.makeRoot(commonName: "Foreign CA", notValidBefore: now - 60, notValidAfter: now + 3600)
        try pki.write("foreign.crt", foreign.certificatePEM)
        try await OutboundTestServer.run(pki: pki) { port in
            try await Self.withClient { client in
                await #expect(throws: OutboundError.untrustedCertificate(host: "localhost", reason: "the chain does not end at this endpoint's trust anchors")) {
                    _ = try await client.fetchFHIR(
                        url: "https://localhost:\(port)/fhir/Patient", bearer: "t", headers: [], credentials: pki.credentials(anchors: "foreign.crt"))
                }
            }
        }
    }

    @Test func aTrustedCertificateIssuedForAnotherHostIsRefused() async throws {
        let pki = try OutboundTestPKI(serverNames: ["elsewhere.zorgnet.test"])
        defer { pki.remove() }
        try await OutboundTestServer.run(pki: pki) { port in
            try await Self.withClient { client in
                await #expect(throws: OutboundError.wrongHost(host: "localhost")) {
                    _ = try await client.fetchFHIR(
                        url: "https://localhost:\(port)/fhir/Patient", bearer: "t", headers: [], credentials: pki.credentials())
                }
            }
        }
    }

    @Test func aHostNotOnTheWhitelistInForceIsNeverContacted() async throws {
        let pki = try OutboundTestPKI()
        defer { pki.remove() }
        let seen = SeenRequests()
        try await OutboundTestServer.run(pki: pki, seen: seen) { port in
            try await Self.withClient(whitelist: Self.whitelist(["hospital.zorgnet.test"])) { client in
                await #expect(throws: OutboundError.notOnWhitelist(host: "localhost")) {
                    _ = try await client.fetchFHIR(
                        url: "https://localhost:\(port)/fhir/Patient", bearer: "t", headers: [], credentials: pki.credentials())
                }
            }
        }
        #expect(await seen.headers.isEmpty, "the provider must not have received the request")
    }

    @Test func aProviderThatAnswersTooSlowlyTimesOut() async throws {
        let pki = try OutboundTestPKI()
        defer { pki.remove() }
        try await OutboundTestServer.run(pki: pki) { port in
            try await Self.withClient(timeouts: Self.fast) { client in
                let started = ContinuousClock.now
                await #expect(throws: OutboundError.timeout(host: "localhost", limitSeconds: 1)) {
                    _ = try await client.fetchFHIR(url: "https://localhost:\(port)/slow", bearer: "t", headers: [], credentials: pki.credentials())
                }
                #expect(ContinuousClock.now - started < .seconds(4), "the client waited for the slow answer")
            }
        }
    }

    @Test func aClosedPortIsReportedAsUnreachable() async throws {
        let pki = try OutboundTestPKI()
        defer { pki.remove() }
        // A port a provider listened on a moment ago: nothing listens there now.
        let closedPort = try await Self.portOfStoppedServer(pki)
        try await Self.withClient { client in
            do {
                _ = try await client.fetchFHIR(url: "https://localhost:\(closedPort)/fhir/Patient", bearer: "t", headers: [], credentials: pki.credentials())
                Issue.record("a closed port answered")
            } catch let error as OutboundError {
                guard case .unreachable(let host, _) = error else { Issue.record("expected unreachable, got \(error)"); return }
                #expect(host == "localhost")
                #expect(error.isTransient)
            }
        }
    }

    @Test func aServerOfferingOnlySuitesWithoutForwardSecrecyIsRefused() async throws {
        let pki = try OutboundTestPKI()
        defer { pki.remove() }
        // RSA key exchange is not on the NCSC "good" list; the server also caps at TLS 1.2.
        try await OutboundTestServer.run(pki: pki, tls12Only: "AES128-GCM-SHA256") { port in
            try await Self.withClient { client in
                do {
                    _ = try await client.fetchFHIR(url: "https://localhost:\(port)/fhir/Patient", bearer: "t", headers: [], credentials: pki.credentials())
                    Issue.record("a handshake without ECDHE succeeded")
                } catch let error as OutboundError {
                    guard case .tlsHandshakeFailed = error else { Issue.record("expected tlsHandshakeFailed, got \(error)"); return }
                }
            }
        }
    }

    @Test func anAnswerThatIsNotFHIRJSONIsMalformedFHIR() async throws {
        let pki = try OutboundTestPKI()
        defer { pki.remove() }
        try await OutboundTestServer.run(pki: pki) { port in
            try await Self.withClient { client in
                do {
                    _ = try await client.fetchFHIR(url: "https://localhost:\(port)/fhir/Broken", bearer: "t", headers: [], credentials: pki.credentials())
                    Issue.record("broken JSON was accepted")
                } catch let error as OutboundError {
                    guard case .malformedFHIR = error else { Issue.record("expected malformedFHIR, got \(error)"); return }
                }
            }
        }
    }

    @Test func aClientKeyReadableByOthersIsRefusedBeforeConnecting() async throws {
        let pki = try OutboundTestPKI()
        defer { pki.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pki.path("client.key"))
        try await Self.withClient { client in
            do {
                _ = try await client.fetchFHIR(url: "https://localhost:1/fhir/Patient", bearer: "t", headers: [], credentials: pki.credentials())
                Issue.record("an exposed key was used")
            } catch let error as OutboundError {
                guard case .credentialsUnusable(let path, _) = error else { Issue.record("expected credentialsUnusable, got \(error)"); return }
                #expect(path == pki.path("client.key"))
            }
        }
    }

    @Test func aPlainHTTPURLIsRefused() async throws {
        try await Self.withClient { client in
            await #expect(throws: OutboundError.invalidURL("http://localhost/fhir")) {
                _ = try await client.send(.GET, url: "http://localhost/fhir", credentials: OutboundCredentials(
                    clientCertificatePath: "/nonexistent", clientKeyPath: "/nonexistent", trustAnchorsPath: "/nonexistent"), purpose: .resource)
            }
        }
    }

    static func portOfStoppedServer(_ pki: OutboundTestPKI) async throws -> Int {
        let box = PortBox()
        try await OutboundTestServer.run(pki: pki) { port in await box.set(port) }
        return await box.port
    }
}

private actor PortBox {
    var port = 0
    func set(_ value: Int) { port = value }
}
