import ArgumentParser
import Audit
import Auth
import Foundation
import Gateway
import Store

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Development access tokens.", subcommands: [Issue.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a bearer token for a PGO app and one patient (demo data directories only).",
            discussion: "Prints the token alone on standard output. The token is bound to the app's registered certificate.")

        @OptionGroup var dataDirectory: DataDirectoryOption

        @Option(help: "The PGO app's party id, e.g. pgo-demo.")
        var client: String

        @Option(help: "The FHIR id of the Patient the token gives access to.")
        var patient: String

        @Option(help: "Lifetime in minutes (1 to 60).")
        var minutes: Int = 15

        func validate() throws {
            guard (1...60).contains(minutes) else { throw ValidationError("--minutes must be between 1 and 60") }
        }

        func run() async throws {
            let directory = DataDirectory(path: dataDirectory.path)
            guard directory.exists else { throw ValidationError("\(directory.path) holds no gateway data; start with `zorgnet serve --demo`") }
            let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
            defer { try? database.close() }
            guard try await GatewaySettings(database: database).isDemo else {
                throw ValidationError(SetupError.notADemoDirectory(directory.path).description)
            }
            let registry = PartyRegistry(database: database)
            guard let party = try await registry.party(id: client), party.kind == .app, party.status == .active else {
                throw ValidationError("'\(client)' is not an active PGO app in the registry")
            }
            guard let certificate = try await registry.certificates(partyID: party.partyID).first(where: { $0.status == .active }) else {
                throw ValidationError("'\(client)' has no active certificate to bind the token to")
            }
            guard try await ResourceRepository(database: database).patientExists(id: patient) else {
                throw ValidationError("there is no Patient with id '\(patient)'")
            }
            let issued = try await TokenService(store: AccessTokenStore(database: database)).issue(
                partyID: party.partyID, certificateFingerprint: certificate.fingerprintSHA256, patientID: patient,
                lifetime: .seconds(minutes * 60))
            let auditLog = try AuditLog(path: directory.auditDatabasePath)
            defer { try? auditLog.close() }
            try await auditLog.append(
                AuditEvent(
                    recorded: Instant.format(Date()), channel: .cli, method: "TOKEN", path: "token issue", status: 0,
                    partyID: party.partyID, partyKind: party.kind.rawValue, certificateFingerprint: certificate.fingerprintSHA256,
                    patientID: patient, detail: "dev token issued, valid \(minutes) minutes"))
            print(issued.token)
        }
    }
}
