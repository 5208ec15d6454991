import ArgumentParser
import Audit
import Consent
import Foundation
@_spi(Benchmarking) import Gateway
import Logging
import Store
import Synchronization

/// The real gateway, serving an existing data directory, with its read path's audit append and/or
/// consent lookup replaced, to measure what each costs (scenario f). With `--audit on --consent on` it
/// is `zorgnet serve` itself. Prints `  back  (mutual TLS): https://HOST:PORT` like `zorgnet serve`.
///
/// Only this benchmark tool can replace them: the substitutes are SPI of the Gateway module, and the
/// `zorgnet` command never passes any.
@main
struct OverheadServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zorgnet-overhead",
        abstract: "The gateway with audit and/or the consent lookup replaced, for the overhead benchmark (never for real use).")

    enum Switch: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    @Option(name: .customLong("data-dir"), help: "An existing gateway data directory (made by `zorgnet serve --demo`).")
    var dataDirectory: String

    @Option(help: "on: every request's event is appended durably to audit.sqlite; off: events are built and discarded.")
    var audit: Switch = .on

    @Option(help: "on: each request reads the patient's consents from SQLite; off: read once per patient, then kept in memory.")
    var consent: Switch = .on

    @Option(help: "Front listener address, host:port.")
    var front = "127.0.0.1:0"

    @Option(help: "Back listener address, host:port.")
    var back = "127.0.0.1:0"

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        guard FileManager.default.fileExists(atPath: "\(dataDirectory)/gateway.sqlite") else {
            throw ValidationError("\(dataDirectory) has no gateway.sqlite: create it with `zorgnet serve --demo --data-dir \(dataDirectory)`")
        }
        var configuration = GatewayConfiguration()
        configuration.dataDirectory = dataDirectory
        configuration.front = try ListenAddress(parsing: front)
        configuration.back = try ListenAddress(parsing: back)
        let consentSource: (any ConsentSource)? = switch consent {
        case .on: nil
        case .off: try MemorizedConsents(dataDirectory: dataDirectory)
        }
        let substitutes = MeasurementSubstitutes(auditSink: audit == .off ? DiscardingAuditSink() : nil, consentSource: consentSource)
        let server = GatewayServer(configuration: configuration, logger: Logger(label: "zorgnet-overhead"), substitutes: substitutes)
        try await server.run { addresses in
            FileHandle.standardOutput.write(Data("  front (TLS):        https://\(addresses.front)\n  back  (mutual TLS): https://\(addresses.back)\n".utf8))
        }
    }
}

/// Audit off: the middleware still builds every event; nothing is written.
struct DiscardingAuditSink: AuditSink {
    func record(_ event: AuditEvent) async throws {}
}

/// Consent lookup off: a patient's consents are read from SQLite at their first request and kept, so
/// later requests skip the lookup while the decisions (and so the answers) stay exactly the same.
final class MemorizedConsents: ConsentSource {
    private let repository: ConsentRepository
    private let held = Mutex<[String: [ConsentRecord]]>([:])

    init(dataDirectory: String) throws {
        // Its own connection pool to the same file; reads only.
        repository = ConsentRepository(database: try GatewayDatabase(path: "\(dataDirectory)/gateway.sqlite"))
    }

    func latestVersions(patientID: String) async throws -> [ConsentRecord] {
        if let known = held.withLock({ $0[patientID] }) { return known }
        let versions = try await repository.latestVersions(patientID: patientID)
        held.withLock { $0[patientID] = versions }
        return versions
    }
}
