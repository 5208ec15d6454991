import ArgumentParser
import Foundation
import Gateway
import Logging
import PZCImport
import Store

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the gateway: the front (TLS) and back (mutual TLS) listeners.")

    @Flag(help: "Create a dev PKI and import the demo PZCs from Fixtures/pzc (first run), then serve them.")
    var demo = false

    @Option(name: .customLong("data-dir"), help: "Data directory (default .zorgnet, or the config file's).")
    var dataDirectory: String?

    @Option(help: "Front listener address, host:port (default 127.0.0.1:8443).")
    var front: String?

    @Option(help: "Back listener address, host:port (default 127.0.0.1:9443).")
    var back: String?

    @Option(help: "JSON configuration file; flags override its values.")
    var config: String?

    @Option(name: .customLong("max-body-size"), help: "Largest accepted request body in bytes (default 16 MiB).")
    var maxBodySize: Int?

    @Option(help: "Directory with the demo PZC exports (default Fixtures/pzc).")
    var fixtures: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain of the front listener (default: the dev PKI's server.crt).")
    var frontCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of the front listener.")
    var frontKey: String?

    @Option(name: .customLong("back-tls-cert"), help: "PEM certificate chain of the back listener (default: the dev PKI's server.crt).")
    var backCertificate: String?

    @Option(name: .customLong("back-tls-key"), help: "PEM private key of the back listener.")
    var backKey: String?

    @Option(name: .customLong("client-ca"), help: "PEM trust anchors for client certificates (default: the dev PKI's ca.crt).")
    var clientTrustAnchors: String?

    @Flag(name: .customLong("login-stand-ins"), help: "Offer the DigiD and UZI stand-in logins (always on with --demo; never for real patients).")
    var loginStandIns = false

    func run() async throws {
        Zorgnet.bootstrapLogging()
        let logger = Logger(label: "zorgnet")
        var configuration = try config.map(GatewayConfiguration.load(file:)) ?? GatewayConfiguration()
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        if let front { configuration.front = try ListenAddress(parsing: front) }
        if let back { configuration.back = try ListenAddress(parsing: back) }
        if let maxBodySize { configuration.maxBodySize = maxBodySize }
        if let frontCertificate { configuration.tls.frontCertificate = frontCertificate }
        if let frontKey { configuration.tls.frontKey = frontKey }
        if let backCertificate { configuration.tls.backCertificate = backCertificate }
        if let backKey { configuration.tls.backKey = backKey }
        if let clientTrustAnchors { configuration.tls.clientTrustAnchors = clientTrustAnchors }
        if demo || loginStandIns { configuration.loginStandIns = true }
        try configuration.validate()

        let demoPatients = demo ? try await prepareDemo(configuration, logger: logger) : []
        let dataPath = configuration.dataDirectory
        let settings = configuration
        try await GatewayServer(configuration: configuration, logger: logger).run { addresses in
            // Written unbuffered: scripts read it from a pipe, where print's output would sit in a buffer.
            let text = Walkthrough.text(addresses: addresses, dataDirectory: dataPath, demoPatients: demoPatients)
                + Walkthrough.authorizationText(addresses: addresses, configuration: settings, demo: !demoPatients.isEmpty) + "\n"
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Creates the dev PKI and loads the demo patients; returns their ids.
    private func prepareDemo(_ configuration: GatewayConfiguration, logger: Logger) async throws -> [String] {
        let directory = DataDirectory(path: configuration.dataDirectory)
        let existedBefore = directory.exists
        try directory.create()
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        defer { try? database.close() }
        let setup = GatewaySetup(directory: directory)
        try await setup.claimForDemo(database: database, existedBefore: existedBefore)
        if try await setup.initializePKI(database: database) {
            logger.info("created a dev PKI", metadata: ["pki": "\(directory.pkiPath)"])
        }
        guard let fixtures = fixtures ?? GatewaySetup.defaultFixturesPath() else {
            throw ValidationError("cannot find Fixtures/pzc; run from the checkout or pass --fixtures")
        }
        guard let profiles = ProjectResources.profilesDirectory else {
            throw ValidationError("cannot find the Profiles/ directory; run from the checkout")
        }
        let summary = try await setup.importDemoPZCs(from: fixtures, profiles: profiles, database: database)
        try await setup.grantDemoPushConsents(database: database)
        logger.info(
            "demo data ready",
            metadata: ["stored": "\(summary.stored)", "unchanged": "\(summary.unchanged)", "notMapped": "\(summary.notMapped)"])
        return summary.patients
    }
}

/// What `serve` prints once it listens: where, and how to try it.
enum Walkthrough {
    static func text(addresses: BoundAddresses, dataDirectory: String, demoPatients: [String]) -> String {
        let back = "https://\(addresses.back)"
        let pki = "\(dataDirectory)/pki"
        var lines = [
            "Zorgnet Gateway is running.",
            "  front (TLS):        https://\(addresses.front)",
            "  back  (mutual TLS): \(back)",
        ]
        if let patient = demoPatients.first {
            lines += [
                "",
                "Try it with the demo certificates:",
                "  curl --cacert \(pki)/ca.crt --cert \(pki)/pgo-demo.crt --key \(pki)/pgo-demo.key \(back)/fhir/metadata",
                "  TOKEN=$(swift run zorgnet token issue --data-dir \(dataDirectory) --client pgo-demo --patient \(patient) --minutes 15)",
                "  curl --cacert \(pki)/ca.crt --cert \(pki)/pgo-demo.crt --key \(pki)/pgo-demo.key -H \"Authorization: Bearer $TOKEN\" \(back)/fhir/Patient",
                "Demo patients: \(demoPatients.joined(separator: ", "))",
                "Stop with Ctrl-C; check the access log with: swift run zorgnet audit verify --data-dir \(dataDirectory)",
            ]
        }
        return lines.joined(separator: "\n")
    }

    /// How to start the MedMij authorization flow as the demo PGO app, when the stand-in logins are on.
    static func authorizationText(addresses: BoundAddresses, configuration: GatewayConfiguration, demo: Bool) -> String {
        guard configuration.loginStandIns else { return "" }
        var lines = [
            "",
            "Login stand-ins (DigiD with a TOTP second factor, UZI) are ON: never use them with real patients.",
            "  login page: https://\(addresses.front)/login",
        ]
        if demo {
            let url = DemoPGO.authorizationURL(front: "https://\(addresses.front)", scope: configuration.medMijProviderName)
            lines += [
                "Authorize the demo PGO app as a patient (open in a browser; it ends on \(DemoPGO.redirectURI)?code=…):",
                "  \(url)",
                "  then: Scripts/demo-pgo-token.sh --data-dir \(configuration.dataDirectory) --back \(addresses.back) 'ADDRESS-WITH-THE-CODE'",
            ]
        }
        // A blank line between this and the walkthrough above.
        return "\n" + lines.joined(separator: "\n")
    }
}
