import Foundation
import Testing

/// What the concurrent work of one round saw, collected from its tasks.
actor RoundResults {
    struct Snapshot: Sendable {
        var pushes: [String: CrashLedger.Push]
        var tokens: [String]
        var launched: Int
        var problems: [String]
        /// Pushes answered after the server was signalled: in flight when it came.
        var answeredAfterSignal: Int
    }

    private var pushes: [String: CrashLedger.Push] = [:]
    private var tokens: [String] = []
    private var launched = 0
    private var problems: [String] = []
    private var answeredAfterSignal = 0

    func pushed(_ identifier: String, _ push: CrashLedger.Push, afterSignal: Bool) {
        pushes[identifier] = push
        if afterSignal && push.status != nil { answeredAfterSignal += 1 }
    }
    func launchedGrant() { launched += 1 }
    func printed(_ token: String) { tokens.append(token) }
    func problem(_ text: String) { problems.append(text) }
    func snapshot() -> Snapshot {
        Snapshot(pushes: pushes, tokens: tokens, launched: launched, problems: problems, answeredAfterSignal: answeredAfterSignal)
    }
}

/// The work of one round, run at once until the kill: `pushClients` push clients, token grants one
/// after the other, and one import killed at its own moment.
struct RoundWork: Sendable {
    let round: Int
    let work: String
    let data: String
    let back: String
    let bundles: PushBundles
    let killSwitch: KillSwitch
    let results: RoundResults
    var pushClients = 2

    /// Runs the work, kills the server `killDelay` ms after it starts, and returns how the import ended.
    func run(server: ChildProcess, killDelay: Int, importDelay: Int, importKillDelay: Int, export: String) async
        -> (finished: Bool, killed: Bool)
    {
        await withTaskGroup(of: (finished: Bool, killed: Bool)?.self) { group in
            for worker in 0..<pushClients {
                group.addTask { await self.pushes(worker: worker); return nil }
            }
            group.addTask { await self.tokenGrants(); return nil }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(killDelay))
                await self.killSwitch.fire(server: server)
                return nil
            }
            group.addTask { await self.importExport(export, after: importDelay, killAfter: importKillDelay) }
            var outcome = (finished: false, killed: false)
            for await result in group {
                if let result { outcome = result }
            }
            return outcome
        }
    }

    private func pushes(worker: Int) async {
        var number = 0
        while await !killSwitch.fired {
            let identifier = "crash-r\(round)-w\(worker)-\(number)"
            number += 1
            let path = work + "/\(identifier).json"
            do {
                try bundles.bundle(identifier: identifier).write(to: URL(fileURLWithPath: path))
                let answer = try await CrashServer.push(bundle: path, back: back, data: data, name: identifier, work: work)
                await results.pushed(
                    identifier, CrashLedger.Push(round: round, bundlePath: path, status: answer.status, body: answer.body),
                    afterSignal: await killSwitch.fired)
                if let status = answer.status, !(200..<300).contains(status) {
                    let text = String(decoding: answer.body ?? Data(), as: UTF8.self)
                    await results.problem("push \(identifier) answered \(status): \(text.prefix(300))")
                }
            } catch {
                await results.problem("push \(identifier) could not be sent: \(error)")
            }
        }
    }

    private func tokenGrants() async {
        var number = 0
        while await !killSwitch.fired {
            do {
                let child = try ChildProcess.zorgnet(
                    ["token", "issue", "--data-dir", data, "--client", "pgo-demo", "--patient", "pzc-diab-patient", "--minutes", "15"],
                    name: "token-r\(round)-\(number)", in: work)
                number += 1
                await results.launchedGrant()
                let registered = await killSwitch.register(child)
                let exit = await child.wait()
                if registered { await killSwitch.unregister(child) }
                // A token counts as printed once its whole line is out, even if the process died after.
                let output = child.output
                if output.hasSuffix("\n"), let token = output.split(separator: "\n").first, token.count == 43 {
                    await results.printed(String(token))
                } else if !exit.killed {
                    await results.problem("token issue exited \(exit.status) without a token: \(child.errors.prefix(300))")
                }
            } catch {
                await results.problem("token issue could not start: \(error)")
                return
            }
        }
    }

    private func importExport(_ export: String, after delay: Int, killAfter killDelay: Int) async -> (finished: Bool, killed: Bool) {
        try? await Task.sleep(for: .milliseconds(delay))
        do {
            let child = try ChildProcess.zorgnet(["import", export, "--data-dir", data], name: "import-r\(round)", in: work)
            let killer = Task {
                try await Task.sleep(for: .milliseconds(killDelay))
                await child.killIfRunning()
            }
            let exit = await child.wait()
            killer.cancel()
            if !exit.killed && exit.status != 0 {
                await results.problem("import exited \(exit.status): \(child.errors.prefix(300))")
            }
            return (exit.status == 0 && !exit.killed, exit.killed)
        } catch {
            await results.problem("import could not start: \(error)")
            return (false, false)
        }
    }
}

/// The gateway as the crash-safety test starts and talks to it.
enum CrashServer {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `zorgnet serve` on free ports and returns it with its back (mutual TLS) address.
    static func start(data: String, work: String, name: String, demo: Bool) async throws -> (ChildProcess, back: String) {
        let server = try ChildProcess.zorgnet(
            ["serve", "--data-dir", data, "--front", "127.0.0.1:0", "--back", "127.0.0.1:0"] + (demo ? ["--demo"] : []),
            name: name, in: work)
        for _ in 0..<1200 {
            if let line = server.output.split(separator: "\n").first(where: { $0.contains("back  (mutual TLS):") }),
                let address = line.split(separator: " ").last
            {
                return (server, String(address))
            }
            if await server.isFinished { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        await server.killIfRunning()
        throw Failure(description: "\(name): serve printed no banner:\n\(server.output)\n\(server.errors.suffix(2000))")
    }

    /// Posts the bundle in the file at `bundle` as the demo hospital; the status and body of the answer,
    /// or nils when no whole answer came (the server was killed, or was not there).
    static func push(bundle: String, back: String, data: String, name: String, work: String) async throws -> (status: Int?, body: Data?) {
        let body = work + "/\(name).response"
        let curl = try ChildProcess.tool(
            "curl",
            [
                "--silent", "--max-time", "30", "--cacert", data + "/pki/ca.crt", "--cert", data + "/pki/hospital-demo.crt",
                "--key", data + "/pki/hospital-demo.key", "-H", "Content-Type: application/fhir+json", "--data-binary", "@" + bundle,
                "--output", body, "--write-out", "%{http_code}", back + "/fhir",
            ], name: name, in: work)
        let exit = await curl.wait()
        guard exit.status == 0, let status = Int(curl.output.trimmingCharacters(in: .whitespacesAndNewlines)), status > 0 else {
            return (nil, nil)
        }
        return (status, try Data(contentsOf: URL(fileURLWithPath: body)))
    }

    /// The HTTP status of reading pzc-diab-patient as pgo-demo with `token`.
    static func read(token: String, back: String, data: String, name: String, work: String) async throws -> Int? {
        let curl = try ChildProcess.tool(
            "curl",
            [
                "--silent", "--max-time", "30", "--cacert", data + "/pki/ca.crt", "--cert", data + "/pki/pgo-demo.crt",
                "--key", data + "/pki/pgo-demo.key", "-H", "Authorization: Bearer \(token)", "--output", "/dev/null",
                "--write-out", "%{http_code}", back + "/fhir/Patient/pzc-diab-patient",
            ], name: name, in: work)
        _ = await curl.wait()
        return Int(curl.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Every token in `tokens` reads the patient (200); a random well-formed token never issued is 401.
    static func tokenProblems(back: String, data: String, tokens: [String], work: String) async throws -> [String] {
        var problems: [String] = []
        for (index, token) in tokens.enumerated() {
            let status = try await read(token: token, back: back, data: data, name: "read-\(UUID().uuidString)", work: work)
            if status != 200 { problems.append("printed token \(index + 1) of \(tokens.count) answered \(status ?? 0), not 200") }
        }
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let stranger = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let status = try await read(token: stranger, back: back, data: data, name: "read-stranger-\(UUID().uuidString)", work: work)
        if status != 401 { problems.append("a token never issued answered \(status ?? 0), not 401") }
        return problems
    }
}
