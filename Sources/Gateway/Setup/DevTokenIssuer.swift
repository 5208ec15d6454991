import Audit
import Auth
import Foundation
import Store

/// Issues bearer tokens by hand, for trying the gateway on demo data (`zorgnet token issue`).
///
/// Refuses on any data directory that was not created with `serve --demo`: on real data, tokens come
/// only from the patient's own authorization. Every issued token is written to the audit log.
///
/// Data is served only with the patient's consent, so when no consent in force speaks about the app, the
/// demo consent (``DemoConsent``: collect everything until revoked) is recorded first, and audited.
public struct DevTokenIssuer: Sendable {
    public let directory: DataDirectory

    public init(directory: DataDirectory) {
        self.directory = directory
    }

    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        case noData(String)
        case notADemoDirectory(String)
        case notAnActiveApp(String)
        case noActiveCertificate(String)
        case unknownPatient(String)
        case invalidLifetime(Int)

        public var description: String {
            switch self {
            case .noData(let path): "\(path) holds no gateway data; start with `zorgnet serve --demo`"
            case .notADemoDirectory(let path): SetupError.notADemoDirectory(path).description
            case .notAnActiveApp(let client): "'\(client)' is not an active PGO app in the registry"
            case .noActiveCertificate(let client): "'\(client)' has no active certificate to bind the token to"
            case .unknownPatient(let patient): "there is no Patient with id '\(patient)'"
            case .invalidLifetime(let minutes): "a dev token lives 1 to 60 minutes, not \(minutes)"
            }
        }
    }

    /// Issues a token for `client` (a PGO app's party id) and one patient, bound to the app's certificate.
    public func issue(client: String, patient: String, minutes: Int, now: Date = Date()) async throws -> TokenService.IssuedToken {
        guard (1...60).contains(minutes) else { throw Refusal.invalidLifetime(minutes) }
        guard directory.exists else { throw Refusal.noData(directory.path) }
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        defer { try? database.close() }
        guard try await GatewaySettings(database: database).isDemo else { throw Refusal.notADemoDirectory(directory.path) }
        let registry = PartyRegistry(database: database)
        guard let party = try await registry.party(id: client), party.kind == .app, party.status == .active else {
            throw Refusal.notAnActiveApp(client)
        }
        guard let certificate = try await registry.certificates(partyID: party.partyID).first(where: { $0.status == .active }) else {
            throw Refusal.noActiveCertificate(client)
        }
        guard try await ResourceRepository(database: database).patientExists(id: patient) else {
            throw Refusal.unknownPatient(patient)
        }
        let auditLog = try AuditLog(path: directory.auditDatabasePath)
        defer { try? auditLog.close() }
        try await DemoConsent.grantIfNone(patient: patient, app: party, database: database, auditLog: auditLog, now: now)
        let issued = try await TokenService(store: AccessTokenStore(database: database)).issue(
            partyID: party.partyID, certificateFingerprint: certificate.fingerprintSHA256, patientID: patient,
            lifetime: .seconds(minutes * 60), now: now)
        try await auditLog.append(
            AuditEvent(
                recorded: Instant.format(now), channel: .cli, method: "TOKEN", path: "token issue", status: 0,
                partyID: party.partyID, partyKind: party.kind.rawValue, certificateFingerprint: certificate.fingerprintSHA256,
                patientID: patient, detail: "dev token issued, valid \(minutes) minutes", kind: .tokenIssue))
        return issued
    }
}
