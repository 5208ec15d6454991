import ArgumentParser
import Audit
import Exchange
import Foundation
import Gateway
import PZCImport
import Store

/// `zorgnet pull --patient P --provider URA`: collects the BgZ again from a provider the patient
/// authorized earlier in the portal, with the refresh token kept sealed for that.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Collect a patient's BgZ again from a care provider they authorized in the portal.")

    @OptionGroup var dataDirectory: DataDirectoryOption
    @Option(help: "The patient id (never a BSN).") var patient: String
    @Option(help: "The provider's URA (8 digits).") var provider: String

    func validate() throws {
        guard provider.count == 8, provider.allSatisfy(\.isNumber) else { throw ValidationError("--provider must be a URA of 8 digits") }
    }

    func run() async throws {
        let directory = DataDirectory(path: dataDirectory.path)
        guard directory.exists else { throw ValidationError("\(directory.path) holds no gateway data") }
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        defer { try? database.close() }
        let log = try AuditLog(path: directory.auditDatabasePath)
        defer { try? log.close() }
        let service = CollectService(database: database, dataDirectory: directory.path, audit: { _ = try await log.append($0) })
        // Like the import's bar: drawn only on a terminal, so logs stay free of carriage returns.
        let bar = ImportProgressBar(enabled: isatty(STDOUT_FILENO) == 1) { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        let total = BgZQueries.all.count
        let outcomes = try await service.pull(patientID: patient, ura: provider) { outcome in
            bar.update(file: 1, files: 1, name: "BgZ \(provider)", done: outcome.queryNumber, total: total)
        }
        bar.clear()
        let stored = outcomes.reduce(0) { $0 + $1.resources }
        let failed = outcomes.filter { $0.kind == .failed }
        print("\(stored) resource(s) stored; \(failed.count) of \(outcomes.count) queries failed")
        for outcome in failed { print("  query \(outcome.queryNumber): \(outcome.detail ?? "-")") }
        if !failed.isEmpty { throw ExitCode(3) }
    }
}
