import Audit
import Auth
import FHIR
import Foundation
import PZCImport
import Store
import Zib

/// Prepares a data directory: the dev PKI with its parties registered, and for `--demo` the demo
/// PZCs from `Fixtures/pzc`.
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

    /// Claims the data directory for the demo: a new directory is marked as demo data (which allows
    /// dev tokens); an existing directory must already be one, so that `--demo` never mixes invented
    /// patients and dev parties into real data.
    public func claimForDemo(database: GatewayDatabase, existedBefore: Bool) async throws {
        let settings = GatewaySettings(database: database)
        if existedBefore {
            guard try await settings.isDemo else { throw SetupError.notADemoDirectory(directory.path) }
        } else {
            try await settings.set(.demo, "true")
        }
    }

    /// Imports every demo PZC export (`*.json`) in `fixtures` through the PZC importer, so the demo
    /// shows exactly what an import of real exports gives. Re-running adds no versions.
    public func importDemoPZCs(from fixtures: String, profiles: String, database: GatewayDatabase) async throws -> DemoLoadSummary {
        let files = try FileManager.default.contentsOfDirectory(atPath: fixtures).filter { $0.hasSuffix(".json") }.sorted()
        guard !files.isEmpty else { throw SetupError.noFixtures(fixtures) }
        let importer = PZCImporter(database: database, validator: try ProfileValidator.loadProjectProfiles(from: profiles))
        var summary = DemoLoadSummary()
        for file in files {
            let path = (fixtures as NSString).appendingPathComponent(file)
            let export: PZCExport
            do {
                export = try PZCExport.decode(from: try Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw SetupError.invalidFixture(path, reason: "\(error)")
            }
            let result = try await importer.importExport(export)
            summary.stored += result.created + result.updated
            summary.unchanged += result.unchanged
            summary.patients.append(result.patientResourceID)
        }
        return summary
    }

    /// Where the demo PZC exports are: `Fixtures/pzc` of the checkout.
    public static func defaultFixturesPath() -> String? {
        ProjectResources.demoPZCDirectory
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
        case .noFixtures(let path): "no demo PZC exports (*.json) found in \(path)"
        case .invalidFixture(let path, let reason): "demo fixture \(path) is invalid: \(reason)"
        case .notADemoDirectory(let path):
            "\(path) was not created with `serve --demo`; demo data and dev tokens are only for demo data directories"
        }
    }
}
