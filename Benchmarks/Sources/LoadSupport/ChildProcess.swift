import Foundation

/// A server or tool started by the benchmarks: its standard output is read line by line so the bound
/// addresses it prints can be picked up, and its peak memory read from /proc.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `lines` and `waiters` are guarded by `lock`; `process` is only started and stopped.
    public let process: Process
    private let lock = NSLock()
    private var lines: [String] = []
    private var partial = ""

    public init(executable: String, arguments: [String], environment: [String: String]? = nil) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.append(String(decoding: data, as: UTF8.self))
        }
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }

    private func append(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        partial += text
        while let newline = partial.firstIndex(of: "\n") {
            lines.append(String(partial[..<newline]))
            partial = String(partial[partial.index(after: newline)...])
        }
    }

    /// Waits (polling, up to `timeout` seconds) for a line of output that `match` accepts.
    public func waitForLine<T>(timeout: Double, _ match: (String) -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        var seen = 0
        while Date() < deadline {
            let snapshot: [String] = lock.withLock { Array(lines.dropFirst(seen)) }
            for line in snapshot {
                if let value = match(line) { return value }
            }
            seen += snapshot.count
            guard process.isRunning else { throw ChildProcessError.exited(process.executableURL?.path ?? "?") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ChildProcessError.timedOut(process.executableURL?.path ?? "?")
    }

    /// The address after `prefix` on a line like `  back  (mutual TLS): https://127.0.0.1:40123`.
    public func waitForAddress(after prefix: String, timeout: Double = 120) async throws -> (host: String, port: Int) {
        try await waitForLine(timeout: timeout) { line in
            guard let range = line.range(of: prefix) else { return nil }
            let rest = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
            let address = rest.replacingOccurrences(of: "https://", with: "")
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else { return nil }
            return (String(address[..<colon]), port)
        }
    }

    /// Peak resident set size in kB (VmHWM in /proc/<pid>/status); nil where /proc does not exist.
    public var peakRSSKilobytes: Int? { Self.peakRSSKilobytes(pid: pid) }

    public static func peakRSSKilobytes(pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// SIGTERM (the gateway finishes requests in flight and closes its databases), then waits.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

public enum ChildProcessError: Error, CustomStringConvertible {
    case exited(String)
    case timedOut(String)
    case failed(String, Int32, String)

    public var description: String {
        switch self {
        case .exited(let path): "\(path) exited before printing what was expected"
        case .timedOut(let path): "\(path) did not print what was expected in time"
        case .failed(let path, let status, let output): "\(path) failed with status \(status): \(output)"
        }
    }
}

/// Runs a command to completion and returns its standard output (trimmed); throws on a non-zero exit.
public func runTool(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    // Errors go straight to ours: reading two pipes one after the other could block on a full one.
    process.standardError = FileHandle.standardError
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ChildProcessError.failed(executable, process.terminationStatus, "see standard error")
    }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Runs a command to completion without holding a thread while it runs, its standard output discarded
/// and its standard error passed through; throws on a non-zero exit.
public func runToCompletion(_ executable: String, _ arguments: [String]) async throws {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.standardError
        process.terminationHandler = { process in
            if process.terminationStatus == 0 {
                continuation.resume()
            } else {
                continuation.resume(throwing: ChildProcessError.failed(executable, process.terminationStatus, "see standard error"))
            }
        }
        do {
            try process.run()
        } catch {
            continuation.resume(throwing: error)
        }
    }
}
