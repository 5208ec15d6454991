import Foundation

/// What one `zorgnet-load` run writes: the settings, every scenario, and the ratios the targets name.
struct LoadReport: Codable, Sendable {
    var label: String
    var started: String
    var dataDirectory: String
    var patientsInDataDirectory: Int
    var machine: String
    var loadAverageAtStart: String
    var scenarios: [ScenarioResult] = []
    var rawSQLite: RawSQLiteResult?
    var ratios: [String: Double] = [:]
    var notes: [String] = []

    struct RawSQLiteResult: Codable, Sendable {
        var gateway: RawSQLiteBaseline.Outcome
        var audit: RawSQLiteBaseline.Outcome
        var bundles: Int
        var resourcesPerBundle: Int
        var resourcesPerSecond: Double
    }

    func markdown() -> String {
        var lines = [
            "### \(label)", "",
            "Data dir `\(dataDirectory)` (\(patientsInDataDirectory) patients), \(machine), started \(started), load average at start \(loadAverageAtStart).", "",
            "| scenario | conns | count | errors | p50 ms | p90 ms | p99 ms | max ms | throughput | server peak RSS MB | load avg |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for result in scenarios {
            let s = result.summary
            let rss = result.serverPeakRSSMegabytes.map { String(format: "%.1f", $0) } ?? "–"
            lines.append(
                "| \(result.scenario) | \(result.connections) | \(s.count) | \(s.errors) | \(s.p50Milliseconds) | \(s.p90Milliseconds) | "
                    + "\(s.p99Milliseconds) | \(s.maxMilliseconds) | \(s.throughputPerSecond) \(s.throughputUnit) | \(rss) | \(result.loadAverage) |")
            if let q = result.perRequest {
                lines.append(
                    "| ↳ per query | \(result.connections) | \(q.count) | \(q.errors) | \(q.p50Milliseconds) | \(q.p90Milliseconds) | "
                        + "\(q.p99Milliseconds) | \(q.maxMilliseconds) | \(q.throughputPerSecond) \(q.throughputUnit) | | |")
            }
        }
        if let raw = rawSQLite {
            lines += [
                "",
                "Raw SQLite (e): \(raw.gateway.rows) gateway rows in \(raw.gateway.transactions) transactions, \(String(format: "%.3f", raw.gateway.seconds)) s; "
                    + "\(raw.audit.rows) audit rows, \(String(format: "%.3f", raw.audit.seconds)) s; "
                    + "= \(Int(raw.resourcesPerSecond)) resources/s for \(raw.bundles) bundles of \(raw.resourcesPerBundle).",
            ]
        }
        for result in scenarios {
            guard let byQuery = result.byQuery else { continue }
            lines += ["", "Slowest BgZ queries (of \(byQuery.count)) by p50:", "", "| query | p50 ms | p99 ms |", "|---|---:|---:|"]
            for (query, summary) in byQuery.sorted(by: { $0.value.p50Milliseconds > $1.value.p50Milliseconds }).prefix(8) {
                lines.append("| `\(query)` | \(summary.p50Milliseconds) | \(summary.p99Milliseconds) |")
            }
        }
        if !ratios.isEmpty {
            lines += ["", "| ratio | value |", "|---|---:|"]
            lines += ratios.keys.sorted().map { "| \($0) | \(String(format: "%.3f", ratios[$0]!)) |" }
        }
        if !notes.isEmpty { lines += [""] + notes.map { "- \($0)" } }
        return lines.joined(separator: "\n") + "\n"
    }
}
