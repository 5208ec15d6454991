import Foundation
import Testing

/// `zorgnet serve` as an operator starts it: which login methods the front listener offers.
@Suite("serve: the login stand-ins are off unless asked for")
struct ServeCommandTests {
    /// A running `zorgnet serve` on free ports with its output in a file; stopped with SIGTERM.
    final class Server {
        let process = Process()
        let output: String
        let dataDirectory: String
        private(set) var front = ""

        init(dataDirectory: String, arguments: [String]) throws {
            self.dataDirectory = dataDirectory
            output = dataDirectory + "/serve.log"
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            guard let executable = CommandRunner.binary else { throw CommandFailure(description: "the zorgnet binary was not built") }
            process.executableURL = executable
            process.arguments = ["serve", "--data-dir", dataDirectory, "--front", "127.0.0.1:0", "--back", "127.0.0.1:0"] + arguments
            process.currentDirectoryURL = CommandRunner.packageRoot
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            process.standardOutput = log
            process.standardError = log
            try process.run()
        }

        var text: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }

        /// Waits for the banner and returns it; the front address is read from it.
        func banner() async throws -> String {
            for _ in 0..<600 {
                let current = text
                if let line = current.split(separator: "\n").first(where: { $0.contains("front (TLS):") }),
                    let address = line.split(separator: " ").last
                {
                    front = String(address)
                    try await Task.sleep(for: .milliseconds(200))
                    return text
                }
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw CommandFailure(description: "serve printed no banner:\n\(text)")
        }

        /// A page of the front listener, fetched with curl trusting the dev CA.
        func page(_ path: String) throws -> String {
            try CommandRunner.runTool("curl", ["-s", "--cacert", dataDirectory + "/pki/ca.crt", front + path]).standardOutput
        }

        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    struct CommandFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// A data directory with a dev PKI (the server certificate) and nothing else.
    static func dataDirectory() throws -> String {
        let directory = try CommandRunner.temporaryDirectory() + "/data"
        let initialised = try CommandRunner.run(["pki", "init", "--data-dir", directory])
        #expect(initialised.status == 0, "\(initialised.standardError)")
        return directory
    }

    @Test("without --demo or --login-stand-ins the login page offers no stand-in and says no method is configured")
    func offByDefault() async throws {
        let server = try Server(dataDirectory: try Self.dataDirectory(), arguments: [])
        defer { server.stop() }
        let banner = try await server.banner()
        #expect(!banner.contains("Login stand-ins"))
        let login = try server.page("/login")
        #expect(!login.contains("/login/digid-standin"))
        #expect(!login.contains("/login/uzi-standin"))
        #expect(login.contains("Er is geen inlogmethode ingesteld."), "\(login.prefix(600))")
    }

    @Test("--login-stand-ins turns on the DigiD and UZI stand-ins, with a warning in the banner")
    func flagTurnsThemOn() async throws {
        let server = try Server(dataDirectory: try Self.dataDirectory(), arguments: ["--login-stand-ins"])
        defer { server.stop() }
        let banner = try await server.banner()
        #expect(banner.contains("Login stand-ins (DigiD with a TOTP second factor, UZI) are ON"))
        let login = try server.page("/login")
        #expect(login.contains("action=\"/login/digid-standin\""))
        #expect(login.contains("action=\"/login/uzi-standin\""))
    }

    @Test("loginStandIns in the configuration file turns them on too")
    func configurationKey() async throws {
        let directory = try Self.dataDirectory()
        let configuration = directory + "/../zorgnet.json"
        try Data(#"{"loginStandIns": true}"#.utf8).write(to: URL(fileURLWithPath: configuration))
        let server = try Server(dataDirectory: directory, arguments: ["--config", configuration])
        defer { server.stop() }
        _ = try await server.banner()
        #expect(try server.page("/login").contains("action=\"/login/digid-standin\""))
    }
}
