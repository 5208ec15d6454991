import ArgumentParser
import Gateway
import Store

struct PKI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki", abstract: "Development certificates.", subcommands: [Init.self])

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a dev CA with server, PGO, hospital, auditor and operator certificates, and register the parties.",
            discussion: "Never use the dev PKI in production; see certs/README.md for real PKIoverheid/UZI certificates.")

        @OptionGroup var dataDirectory: DataDirectoryOption

        func run() async throws {
            let directory = DataDirectory(path: dataDirectory.path)
            try directory.create()
            let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
            defer { try? database.close() }
            let created = try await GatewaySetup(directory: directory).initializePKI(database: database)
            print(created ? "created the dev PKI in \(directory.pkiPath)" : "a PKI already exists in \(directory.pkiPath); parties re-registered, nothing overwritten")
        }
    }
}
