import Foundation
import Testing

/// `zorgnet audit …` on the data directory a real `serve` run left behind.
@Suite("audit: signed checkpoints, proofs and verification from the command line")
struct AuditCommandTests {
    /// A data directory after a short run of the gateway: a few audited requests, stopped with SIGTERM.
    static func dataDirectoryAfterARun() async throws -> String {
        let directory = try ServeCommandTests.dataDirectory()
        let server = try ServeCommandTests.Server(dataDirectory: directory, arguments: [])
        _ = try await server.banner()
        for _ in 0..<3 { _ = try server.page("/login") }
        server.stop()
        return directory
    }

    /// Runs SQL on the audit database as someone with write access to the file would (Python's sqlite3).
    static func tamper(_ directory: String, _ sql: String) throws {
        let script = "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()"
        let result = try CommandRunner.runTool("python3", ["-c", script, directory + "/audit.sqlite", sql])
        #expect(result.status == 0, "\(result.standardError)")
    }

    @Test("a stopped gateway leaves a signed checkpoint over all its events; verify checks it, prove shows an event is in it")
    func checkpointAtShutdown() async throws {
        let directory = try await Self.dataDirectoryAfterARun()
        let exported = try CommandRunner.run(["audit", "checkpoints", "--data-dir", directory])
        #expect(exported.status == 0, "\(exported.standardError)")
        let lines = exported.standardOutput.split(separator: "\n")
        let last = try #require(lines.last.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        let size = try #require(last["size"] as? Int)
        #expect(size >= 3)

        let verified = try CommandRunner.run(["audit", "verify", "--data-dir", directory])
        #expect(verified.status == 0)
        #expect(verified.standardOutput.contains("audit chain intact: \(size) events"), "\(verified.standardOutput)")

        let proof = try CommandRunner.run(["audit", "prove", "--data-dir", directory, "--event", "2", "--size", String(size)])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(proof.standardOutput.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == true)
        #expect(object["root"] as? String == last["root"] as? String)
    }

    @Test("a log cut back, with its stored checkpoints deleted too, fails verification against checkpoints kept elsewhere")
    func truncationCaughtByHeldCheckpoints() async throws {
        let directory = try await Self.dataDirectoryAfterARun()
        let held = directory + "/../held-checkpoints.jsonl"
        let exported = try CommandRunner.run(["audit", "checkpoints", "--data-dir", directory])
        try Data(exported.standardOutput.utf8).write(to: URL(fileURLWithPath: held))

        try Self.tamper(
            directory,
            """
            DROP TRIGGER audit_event_no_delete; DROP TRIGGER audit_checkpoint_no_delete;
            DELETE FROM audit_event WHERE seq > 2; DELETE FROM audit_checkpoint;
            """)
        #expect(try CommandRunner.run(["audit", "verify", "--data-dir", directory]).status == 0, "alone, the shorter log looks whole")
        let verified = try CommandRunner.run(["audit", "verify", "--data-dir", directory, "--checkpoints", held])
        #expect(verified.status == 1)
        #expect(verified.standardOutput.contains("broken at event 3"), "\(verified.standardOutput)")
        #expect(verified.standardOutput.contains("events were cut off"))
    }

    @Test("the signing key is 0600 in the data directory and its public half is published beside it")
    func keyFiles() async throws {
        let directory = try await Self.dataDirectoryAfterARun()
        let mode = try FileManager.default.attributesOfItem(atPath: directory + "/audit-signing.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let publicKey = try String(contentsOfFile: directory + "/audit-signing.key.pub", encoding: .utf8)
        #expect(publicKey.trimmingCharacters(in: .whitespacesAndNewlines).count == 64)
    }

    @Test("search finds events by kind and prints one line each; the search itself is logged")
    func search() async throws {
        let directory = try await Self.dataDirectoryAfterARun()
        let found = try CommandRunner.run(["audit", "search", "--data-dir", directory, "--kind", "page.view"])
        #expect(found.status == 0, "\(found.standardError)")
        let lines = found.standardOutput.split(separator: "\n")
        #expect(lines.count == 3, "\(found.standardOutput)")
        #expect(lines.allSatisfy { $0.contains("\tpage.view\t0\t") && $0.hasSuffix("GET /login") })
        let again = try CommandRunner.run(["audit", "search", "--data-dir", directory, "--kind", "audit"])
        #expect(again.standardOutput.split(separator: "\n").count == 2, "both searches are events: \(again.standardOutput)")
        #expect(try CommandRunner.run(["audit", "search", "--data-dir", directory, "--kind", "nonsense"]).standardError.contains("unknown kind nonsense"))
        #expect(try CommandRunner.run(["audit", "verify", "--data-dir", directory]).status == 0, "logging the searches keeps the chain whole")
    }

    @Test("export writes NDJSON AuditEvents or CSV to a 0600 file")
    func export() async throws {
        let directory = try await Self.dataDirectoryAfterARun()
        let file = directory + "/../export.ndjson"
        let exported = try CommandRunner.run(["audit", "export", "--data-dir", directory, "--kind", "page.view", "--output", file])
        #expect(exported.status == 0, "\(exported.standardError)")
        #expect(exported.standardError.contains("3 event(s) exported"))
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["resourceType"] as? String == "AuditEvent")
        }
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600)
        let csv = try CommandRunner.run(["audit", "export", "--data-dir", directory, "--format", "csv", "--kind", "page.view"])
        #expect(csv.standardOutput.hasPrefix("sequence,recorded,kind,outcome"))
        #expect(csv.standardOutput.split(separator: "\r\n").count == 4)
    }
}
