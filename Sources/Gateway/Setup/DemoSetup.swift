import Audit
import Auth
import FHIR
import Foundation
import Store

/// Prepares a data directory: the dev PKI with its parties registered, and for `--demo` the demo
/// patients from `Fixtures/demo`.
public struct GatewaySetup: Sendable {
    public let directory: DataDirectory

    public init(directory: DataDirectory) {
        self.directory = directory
    }

    /// Creates the dev PKI (when there is none yet) and registers its client parties, so that the
    /// demo certificates are recognised on the back channel. Returns false when a PKI already existed.
    @discardableResult
    public func initializePKI(database: GatewayDatabase) async throws -> Bool {
        try directory.create()
        let created: Bool
        let pki: DevPKI
        if FileManager.default.fileExists(atPath: (directory.pkiPath as NSString).appendingPathComponent("ca.crt")) {
            pki = try DevPKI.load(dataDirectory: directory.path)
            created = false
        } else {
            pki = try DevPKI.initialize(dataDirectory: directory.path)
            created = true
        }
        let registry = PartyRegistry(database: database)
        for (party, devParty) in Self.demoParties {
            let identity = CertificateIdentity(try pki.certificate(devParty))
            let certificate = PartyCertificate(
                fingerprintSHA256: identity.fingerprintSHA256, partyID: party.partyID, subject: identity.subject,
                notValidAfter: Instant.format(identity.notValidAfter))
            try await registry.register(party, certificate: certificate)
        }
        return created
    }

    static let demoParties: [(Party, DevPKI.Party)] = [
        (Party(partyID: "pgo-demo", kind: .app, displayName: "Demo PGO app", clientID: DevPKI.pgoDemoClientID), .pgoDemo),
        (Party(partyID: "hospital-demo", kind: .organization, displayName: "Demo Ziekenhuis", ura: DevPKI.hospitalDemoURA), .hospitalDemo),
        (Party(partyID: "auditor", kind: .auditor, displayName: "Demo auditor"), .auditor),
        (Party(partyID: "operator", kind: .operator, displayName: "Demo operator"), .operator),
    ]

    /// Loads every `*.json` Bundle in `fixtures` and stores its entries. Resources whose content is
    /// unchanged are skipped, so a restart with `--demo` adds no versions.
    public func loadDemoFixtures(from fixtures: String, database: GatewayDatabase) async throws -> DemoLoadSummary {
        let files = try FileManager.default.contentsOfDirectory(atPath: fixtures).filter { $0.hasSuffix(".json") }.sorted()
        guard !files.isEmpty else { throw SetupError.noFixtures(fixtures) }
        var summary = DemoLoadSummary()
        let repository = ResourceRepository(database: database)
        for file in files {
            let path = (fixtures as NSString).appendingPathComponent(file)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let bundle: FHIRResource
            do {
                bundle = try FHIRJSON.parseResource(bytes)
            } catch {
                throw SetupError.invalidFixture(path, reason: error.description)
            }
            var incoming = [IncomingResource]()
            for entry in bundle["entry"]?.elements ?? [] {
                guard let object = entry["resource"]?.objectValue else { continue }
                let resource = try FHIRResource(object)
                incoming.append(IncomingResource(resource: resource, receivedFormat: .json, receivedBytes: FHIRJSON.serialize(resource)))
            }
            for result in try await repository.store(incoming, skipUnchanged: true) {
                switch result {
                case .created, .updated: summary.stored += 1
                case .unchanged: summary.unchanged += 1
                }
                if result.stored.type == "Patient" { summary.patients.append(result.stored.id) }
            }
        }
        try await GatewaySettings(database: database).set(.demo, "true")
        summary.patients = Array(Set(summary.patients)).sorted()
        return summary
    }

    /// Where the demo fixtures are: `Fixtures/demo` in the working directory, else beside the sources
    /// this binary was built from (so `swift run` works from any directory of the checkout).
    public static func defaultFixturesPath() -> String? {
        let candidates = [
            FileManager.default.currentDirectoryPath + "/Fixtures/demo",
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/demo").path,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}

public struct DemoLoadSummary: Sendable {
    public var stored = 0
    public var unchanged = 0
    public var patients: [String] = []
}

public enum SetupError: Error, Sendable, CustomStringConvertible {
    case noFixtures(String)
    case invalidFixture(String, reason: String)
    case notADemoDirectory(String)

    public var description: String {
        switch self {
        case .noFixtures(let path): "no demo fixtures (*.json) found in \(path)"
        case .invalidFixture(let path, let reason): "demo fixture \(path) is invalid: \(reason)"
        case .notADemoDirectory(let path): "\(path) was not created with `serve --demo`; dev tokens are only issued for demo data"
        }
    }
}
