import ArgumentParser
import Logging

@main
struct Zorgnet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zorgnet",
        abstract: "Zorgnet Gateway: a personal health record gateway for Dutch care (FHIR STU3, MedMij, NEN 7513).",
        subcommands: [Serve.self, ImportCommand.self, PZCCommand.self, PKI.self, Token.self, PartyCommand.self, ListsCommand.self, AuditCommand.self, ProvidersCommand.self, PullCommand.self])

    static func bootstrapLogging() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
    }
}

/// The `--data-dir` option every command shares.
struct DataDirectoryOption: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (SQLite files, dev PKI).")
    var path: String = ".zorgnet"
}
