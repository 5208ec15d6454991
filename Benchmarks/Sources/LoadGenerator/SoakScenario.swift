import Foundation
import Synchronization

/// Long runs: the soak (steady load below the maximum for minutes, watching memory and descriptors)
/// and overload (more clients than the gateway takes at once, watching it shed load and recover).
enum LongRuns {
    /// Counts shared by the clients, read by the sampler while they run.
    final class Progress: Sendable {
        let requests = Atomic<Int>(0)
        let errors = Atomic<Int>(0)
    }

    /// `connections` clients GET their path at `rate` requests/s in total (each waits for its answer,
    /// then for its next slot) for `seconds`; every `sampleEvery` seconds the gateway's RSS and open
    /// descriptors are sampled.
    static func soak(
        _ target: LoadTarget, pid: Int32, paths: [(path: String, token: String?)], connections: Int, rate: Double, seconds: Double,
        sampleEvery: Double
    ) async throws -> (LatencyRecorder, [ServerSample]) {
        let clients = try (0..<connections).map { index in
            let assigned = paths[index % paths.count]
            return (try target.connection(party: "pgo-demo", bearer: assigned.token), assigned.path)
        }
        let interval = UInt64(Double(connections) / rate * 1e9)
        let begin = DispatchTime.now().uptimeNanoseconds
        let end = begin + UInt64(seconds * 1e9)
        let progress = Progress()
        let (recorder, samples) = await withTaskGroup(of: (LatencyRecorder?, [ServerSample]).self) { group in
            for (index, (connection, path)) in clients.enumerated() {
                group.addTask {
                    var recorder = LatencyRecorder()
                    // Clients start spread over one interval, so the load is even rather than in waves.
                    var next = begin + interval * UInt64(index) / UInt64(connections)
                    while next < end {
                        let now = DispatchTime.now().uptimeNanoseconds
                        if next > now { try? await Task.sleep(nanoseconds: next - now) }
                        next += interval
                        do {
                            let outcome = try await connection.send(path)
                            recorder.record(nanoseconds: outcome.nanoseconds)
                            if outcome.status != 200 { recorder.errors += 1; progress.errors.add(1, ordering: .relaxed) }
                        } catch {
                            recorder.errors += 1
                            progress.errors.add(1, ordering: .relaxed)
                        }
                        progress.requests.add(1, ordering: .relaxed)
                    }
                    return (recorder, [])
                }
            }
            group.addTask {
                var samples: [ServerSample] = []
                while DispatchTime.now().uptimeNanoseconds < end {
                    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
                    if let sample = ServerSample.read(
                        pid: pid, at: elapsed, requests: progress.requests.load(ordering: .relaxed),
                        errors: progress.errors.load(ordering: .relaxed))
                    {
                        samples.append(sample)
                    }
                    try? await Task.sleep(nanoseconds: UInt64(sampleEvery * 1e9))
                }
                return (nil, samples)
            }
            var all = LatencyRecorder()
            var samples: [ServerSample] = []
            for await (recorder, collected) in group {
                if let recorder { all.merge(recorder) }
                samples += collected
            }
            return (all, samples)
        }
        for (connection, _) in clients { await connection.close() }
        return (recorder, samples)
    }

    /// `connections` clients GET their path as fast as answered for `seconds`. Answers 200 go to the
    /// first recorder, 503s with `Retry-After` to the second (shed, counted apart), anything else —
    /// another status, a 503 without `Retry-After`, a timeout, a dropped connection — is an error.
    static func overload(
        _ target: LoadTarget, paths: [(path: String, token: String?)], connections: Int, seconds: Double
    ) async throws -> (served: LatencyRecorder, shed: LatencyRecorder) {
        let clients = try (0..<connections).map { index in
            let assigned = paths[index % paths.count]
            return (try target.connection(party: "pgo-demo", bearer: assigned.token), assigned.path)
        }
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let merged = await withTaskGroup(of: (LatencyRecorder, LatencyRecorder).self) { group in
            for (connection, path) in clients {
                group.addTask {
                    var served = LatencyRecorder()
                    var shed = LatencyRecorder()
                    while DispatchTime.now().uptimeNanoseconds < end {
                        do {
                            let outcome = try await connection.send(path)
                            switch outcome.status {
                            case 200: served.record(nanoseconds: outcome.nanoseconds)
                            case 503 where outcome.retryAfter != nil: shed.record(nanoseconds: outcome.nanoseconds)
                            default:
                                served.record(nanoseconds: outcome.nanoseconds)
                                served.errors += 1
                            }
                        } catch {
                            served.errors += 1
                        }
                    }
                    return (served, shed)
                }
            }
            var served = LatencyRecorder()
            var shed = LatencyRecorder()
            for await (one, other) in group {
                served.merge(one)
                shed.merge(other)
            }
            return (served, shed)
        }
        for (connection, _) in clients { await connection.close() }
        return merged
    }
}
