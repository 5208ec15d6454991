import Foundation
import Histogram

/// Latencies of one kind of operation, in microseconds, plus what failed.
struct LatencyRecorder: Sendable {
    var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    var errors = 0
    var bytes = 0

    mutating func record(nanoseconds: UInt64) {
        _ = histogram.record(Swift.max(1, nanoseconds / 1_000))
    }

    mutating func merge(_ other: LatencyRecorder) {
        histogram.add(other.histogram)
        errors += other.errors
        bytes += other.bytes
    }

    /// `units` is how many items one operation stands for (100 resources per pushed bundle).
    func summary(seconds: Double, units: Int = 1, unitName: String = "requests") -> LatencySummary {
        func ms(_ micros: UInt64) -> Double { (Double(micros) / 1_000 * 1_000).rounded() / 1_000 }
        let count = Int(histogram.totalCount)
        return LatencySummary(
            count: count, errors: errors, seconds: (seconds * 1_000).rounded() / 1_000,
            p50Milliseconds: ms(histogram.valueAtPercentile(50)), p90Milliseconds: ms(histogram.valueAtPercentile(90)),
            p99Milliseconds: ms(histogram.valueAtPercentile(99)), maxMilliseconds: ms(histogram.max),
            meanMilliseconds: (histogram.mean / 1_000 * 1_000).rounded() / 1_000,
            // Only answered operations count: a fast error is no throughput.
            throughputPerSecond: seconds > 0 ? (Double((count - errors) * units) / seconds * 10).rounded() / 10 : 0,
            throughputUnit: "\(unitName)/s", meanBodyBytes: count > 0 ? bytes / count : 0)
    }
}

struct LatencySummary: Codable, Sendable {
    var count: Int
    var errors: Int
    var seconds: Double
    var p50Milliseconds: Double
    var p90Milliseconds: Double
    var p99Milliseconds: Double
    var maxMilliseconds: Double
    var meanMilliseconds: Double
    var throughputPerSecond: Double
    var throughputUnit: String
    var meanBodyBytes: Int
}

/// One line of the report: a scenario with its settings, its figures and the server's peak memory.
struct ScenarioResult: Codable, Sendable {
    var scenario: String
    var connections: Int
    var detail: String
    var summary: LatencySummary
    /// Per-query latencies where the scenario also times a whole set (the BgZ collection).
    var perRequest: LatencySummary?
    /// The BgZ collection per query path.
    var byQuery: [String: LatencySummary]?
    /// VmHWM of the server process after the scenario (the peak since it started), in MB.
    var serverPeakRSSMegabytes: Double?
    var loadAverage: String
    /// The soak run's samples of the server over time.
    var samples: [ServerSample]?
    /// Under overload: the requests answered 503 (load shed), apart from the ones served in `summary`.
    var shed: LatencySummary?
}

/// The server process at one moment of a long run.
struct ServerSample: Codable, Sendable {
    var seconds: Double
    var residentMegabytes: Double
    var openFileDescriptors: Int
    var requests: Int
    var errors: Int

    /// VmRSS and the entries of /proc/<pid>/fd; nil where /proc does not exist.
    static func read(pid: Int32, at seconds: Double, requests: Int, errors: Int) -> ServerSample? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? ""),
              let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
        else { return nil }
        return ServerSample(
            seconds: (seconds * 10).rounded() / 10, residentMegabytes: (kilobytes / 1024 * 10).rounded() / 10,
            openFileDescriptors: descriptors.count, requests: requests, errors: errors)
    }
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))
        .map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "?"
}
