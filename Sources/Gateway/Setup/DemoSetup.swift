import Audit
import Auth
import Consent
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
            // A demo resource the profiles refuse is a defect of the fixture, not something to skip.
            guard result.invalid.isEmpty else {
                throw SetupError.invalidFixture(
                    path, reason: "\(result.invalid.count) resource(s) refused by their profiles, first: \(result.invalid[0])")
            }
            summary.notMapped += result.unmapped.count
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
    /// Entries (or parts of entries) the mapping reported as not mapped; `zorgnet import --report` lists them.
    public var notMapped = 0
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

/// The consent a demo patient gives the demo PGO app, so that deny by default leaves the demo usable:
/// the app may collect everything, from now until revoked. Only ever recorded on demo data directories,
/// by `zorgnet token issue` (a token issued by hand skips the consent screen, so it brings the consent the
/// screen would have asked for), and always audited. `serve --demo` records none: a demo patient gives
/// consent on the consent screen, as a real one does.
public enum DemoConsent {
    /// Records the demo consent for `patient` and `app` unless a consent in force already speaks about
    /// that app (a permit or a deny: a patient's own choice is never overridden), and writes an audit
    /// event for it. Returns the recorded consent, or nil when none was needed.
    @discardableResult
    public static func grantIfNone(
        patient: String, app: Party, database: GatewayDatabase, auditLog: AuditLog, now: Date = Date()
    ) async throws -> ConsentRecord? {
        // An app without a client id cannot be named by any consent; the gateway serves it nothing.
        guard app.kind == .app, let clientID = app.clientID else { return nil }
        let actor = ConsentActor.pgoApp(clientID)
        let consents = ConsentRepository(database: database)
        let inForce = try await consents.consentsInForce(patientID: patient, at: now)
        guard !inForce.contains(where: { names(actor, $0.root) }) else { return nil }
        let consent = ConsentRecord(
            id: UUID().uuidString.lowercased(), patientID: patient, recordedAt: now, validity: ConsentPeriod(start: now),
            root: Provision(.permit, actors: [actor], actions: [.collect], categories: [.everything]))
        try await consents.record(consent)
        try await auditLog.append(
            AuditEvent(
                recorded: Instant.format(now), channel: .cli, method: "CONSENT", path: "demo consent", status: 0,
                partyID: app.partyID, partyKind: app.kind.rawValue, patientID: patient,
                entities: ["Consent/\(consent.id)/_history/\(consent.version)"],
                detail: "demo consent recorded: the demo app may collect all data until revoked", kind: .consentGrant))
        return consent
    }

    /// Whether a provision in the tree applies to `actor` (names it, its group, or nobody in particular).
    static func names(_ actor: ConsentActor, _ provision: Provision) -> Bool {
        provision.actors.isEmpty || provision.actors.contains { $0.matches(actor) }
            || provision.provisions.contains { names(actor, $0) }
    }
}
