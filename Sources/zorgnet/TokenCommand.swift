import ArgumentParser
import Gateway

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

        func run() async throws {
            do {
                let issued = try await DevTokenIssuer(directory: DataDirectory(path: dataDirectory.path))
                    .issue(client: client, patient: patient, minutes: minutes)
                print(issued.token)
            } catch let refusal as DevTokenIssuer.Refusal {
                throw ValidationError(refusal.description)
            }
        }
    }
}
