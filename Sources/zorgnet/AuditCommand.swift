import ArgumentParser
import Audit
import Gateway

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The access log (NEN 7513).", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the hash chain of the audit log and name the first broken event.")

        @OptionGroup var dataDirectory: DataDirectoryOption

        func run() async throws {
            let directory = DataDirectory(path: dataDirectory.path)
            guard directory.exists else { throw ValidationError("\(directory.path) holds no gateway data") }
            // Read-only: verification must never create, migrate or write the log it judges. A missing
            // file is an error (AuditLogError.missingFile), not an "intact" empty log.
            let log = try AuditLog(readingAt: directory.auditDatabasePath)
            defer { try? log.close() }
            let verification = try await log.verify()
            print(verification)
            if !verification.isIntact { throw ExitCode(1) }
        }
    }
}
