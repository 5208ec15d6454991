import Foundation
import Testing

/// A child process of the crash-safety test, with its output in files (never pipes: a pipe inherited by
/// a sibling spawned at the same moment would keep it open) and an exit status that can be awaited.
struct ChildProcess: Sendable {
    let pid: Int32
    let outputPath: String
    let errorPath: String
    private let exit: ExitStatus

    /// Starts `executable` with `arguments` in the package root; `name` names its output files in `directory`.
    static func start(_ executable: URL, _ arguments: [String], name: String, in directory: String) throws -> ChildProcess {
        let outputPath = directory + "/\(name).out"
        let errorPath = directory + "/\(name).err"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = CommandRunner.packageRoot
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer {
            // The child has its own copies once it runs.
            try? output.close()
            try? error.close()
        }
        process.standardOutput = output
        process.standardError = error
        let exit = ExitStatus()
        process.terminationHandler = { finished in
            let status = finished.terminationStatus
            let killed = finished.terminationReason == .uncaughtSignal
            Task { await exit.finish(status: status, killed: killed) }
        }
        try process.run()
        return ChildProcess(pid: process.processIdentifier, outputPath: outputPath, errorPath: errorPath, exit: exit)
    }

    /// The built `zorgnet` binary with `arguments`.
    static func zorgnet(_ arguments: [String], name: String, in directory: String) throws -> ChildProcess {
        try start(try #require(CommandRunner.binary, "the zorgnet binary is not built"), arguments, name: name, in: directory)
    }

    /// A tool from the PATH (curl).
    static func tool(_ tool: String, _ arguments: [String], name: String, in directory: String) throws -> ChildProcess {
        try start(URL(fileURLWithPath: "/usr/bin/env"), [tool] + arguments, name: name, in: directory)
    }

    func kill(_ signal: Int32 = SIGKILL) { _ = Foundation.kill(pid, signal) }

    /// SIGKILLs the process unless it has already exited (and been reaped: its pid may be reused).
    func killIfRunning() async {
        if await !exit.isFinished { kill() }
    }

    var isFinished: Bool { get async { await exit.isFinished } }

    /// The exit status, and whether a signal ended the process.
    func wait() async -> (status: Int32, killed: Bool) { await exit.wait() }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }
}

actor ExitStatus {
    private var result: (status: Int32, killed: Bool)?
    private var waiters: [CheckedContinuation<(status: Int32, killed: Bool), Never>] = []

    var isFinished: Bool { result != nil }

    func finish(status: Int32, killed: Bool) {
        result = (status, killed)
        for waiter in waiters { waiter.resume(returning: (status, killed)) }
        waiters = []
    }

    func wait() async -> (status: Int32, killed: Bool) {
        if let result { return result }
        return await withCheckedContinuation { waiters.append($0) }
    }
}

/// The processes of one round that die together at the kill (the server and the token grants), like
/// a machine losing power. Once the kill has happened, a process registered late is killed at once.
///
/// With `SIGTERM` it is an orderly stop instead: the server alone gets the signal, and the token
/// grants (separate processes) finish on their own.
actor KillSwitch {
    let signal: Int32
    private var children: [Int32: ChildProcess] = [:]
    private(set) var fired = false
    private(set) var killed = 0

    init(signal: Int32 = SIGKILL) {
        self.signal = signal
    }

    /// Registers a running child; false (and the child killed) when the kill has already happened.
    func register(_ child: ChildProcess) -> Bool {
        if fired && signal == SIGKILL {
            child.kill()
            killed += 1
            return false
        }
        children[child.pid] = child
        return true
    }

    func unregister(_ child: ChildProcess) { children[child.pid] = nil }

    /// Signals `server` first, then (for SIGKILL) kills every registered child still running.
    func fire(server: ChildProcess) {
        fired = true
        server.kill(signal)
        guard signal == SIGKILL else { return }
        for child in children.values {
            child.kill()
            killed += 1
        }
        children = [:]
    }
}

/// SplitMix64: a small seeded generator, so a failing run can be replayed with its printed seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Push transaction Bundles of `size` entries made from `Fixtures/push/discharge-summary-diabetes.json`
/// (the demo hospital's discharge summary for pzc-diab-patient), like the load generator's: the
/// fixture's first three entries (Patient by BSN, hospital, doctor) head every bundle, its clinical
/// entries are repeated with fresh `urn:uuid` full URLs and references rewritten within each copy.
struct PushBundles: Sendable {
    static let fixture = CommandRunner.packageRoot.appendingPathComponent("Fixtures/push/discharge-summary-diabetes.json")
    let fixtureData: Data
    let identifierSystem: String
    let size: Int

    init(size: Int) throws {
        fixtureData = try Data(contentsOf: Self.fixture)
        let bundle = try #require(try JSONSerialization.jsonObject(with: fixtureData) as? [String: Any])
        identifierSystem = try #require((bundle["identifier"] as? [String: Any])?["system"] as? String)
        self.size = size
    }

    /// The bytes of a bundle with `Bundle.identifier` value `identifier`.
    func bundle(identifier: String) throws -> Data {
        var bundle = try #require(try JSONSerialization.jsonObject(with: fixtureData) as? [String: Any])
        let entries = try #require(bundle["entry"] as? [[String: Any]])
        let clinical = entries.dropFirst(3)
        var result = Array(entries.prefix(3))
        while result.count < size {
            var renamed: [String: String] = [:]
            for entry in clinical {
                if let url = entry["fullUrl"] as? String { renamed[url] = "urn:uuid:" + UUID().uuidString.lowercased() }
            }
            for entry in clinical where result.count < size {
                result.append(try #require(Self.rewrite(entry, renamed) as? [String: Any]))
            }
        }
        bundle["entry"] = result
        bundle["identifier"] = ["system": identifierSystem, "value": identifier]
        return try JSONSerialization.data(withJSONObject: bundle)
    }

    private static func rewrite(_ value: Any, _ renamed: [String: String]) -> Any {
        switch value {
        case let string as String: return renamed[string] ?? string
        case let array as [Any]: return array.map { rewrite($0, renamed) }
        case let object as [String: Any]: return object.mapValues { rewrite($0, renamed) }
        default: return value
        }
    }
}

/// A copy of the diabetes demo export under another PZC id and BSN: its resources get ids starting
/// with `<pzcID>-`, so they can be counted apart from everything else.
enum ImportExports {
    static let fixture = CommandRunner.packageRoot.appendingPathComponent("Fixtures/pzc/diabetes.json")

    static func write(pzcID: String, bsn: String, to path: String) throws {
        var export = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [String: Any])
        var pzc = try #require(export["pzc"] as? [String: Any])
        var patient = try #require(export["patient"] as? [String: Any])
        pzc["id"] = pzcID
        patient["bsn"] = bsn
        export["pzc"] = pzc
        export["patient"] = patient
        try JSONSerialization.data(withJSONObject: export).write(to: URL(fileURLWithPath: path))
    }

    /// A BSN passing the eleven-test, made from `number` (eight digits at most).
    static func bsn(_ number: Int) -> String {
        var base = 10_000_000 + number % 90_000_000
        while true {
            let digits = String(base).compactMap { $0.wholeNumberValue }
            let sum = zip(digits, (2...9).reversed()).reduce(0) { $0 + $1.0 * $1.1 }
            let check = sum % 11
            if check < 10 { return String(base) + String(check) }
            base += 1
        }
    }
}
