import Foundation
import Testing

/// `zorgnet serve` stopped with SIGTERM while four clients push 100-entry Bundles, an import writes and
/// token grants run: the orderly counterpart of ``CrashSafetyTests``, on the same machinery
/// (``CrashRun``), with stricter expectations.
///
/// Each round the server must exit 0 by itself (no kill); every push it answered is kept with the
/// answer's bytes and its audit event, and no push is stored without its event (an orderly stop
/// finishes each request it took, audit append included); the checkpoint signed at shutdown covers
/// every event the server appended; and the inspection of ``CrashInspection`` holds as after a kill.
/// Over the rounds, some pushes must have been answered after the signal: requests in flight when it
/// came are finished, not dropped. After the last round the gateway starts once more, as in the crash
/// test, and the same checks follow.
@Suite("Orderly stop: SIGTERM during pushes, imports and token grants", .serialized)
struct GracefulStopTests {
    static let rounds = 6

    @Test(
        """
        SIGTERM under load loses no accepted write: the server exits 0, every answered push is kept with its audit event, \
        requests in flight are answered, and the shutdown checkpoint covers every server event
        """)
    func sigtermUnderLoad() async throws {
        let seed = ProcessInfo.processInfo.environment["ZORGNET_CRASH_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
        print("GracefulStop seed \(seed) (replay with ZORGNET_CRASH_SEED=\(seed))")
        var random = SeededGenerator(seed: seed)
        var run = try await CrashRun.setUp(seed: seed)
        for round in 1...Self.rounds {
            try await run.round(round, random: &random, signal: SIGTERM)
        }
        try await run.finish()
        print("GracefulStop seed \(seed): \(run.orderlyStops) orderly stops, \(run.answeredDuringStops) pushes answered after the signal; \(run.summary)")
        #expect(run.orderlyStops == Self.rounds)
        #expect(run.answeredDuringStops > 0, "no push was in flight at any of the signals: the test did not load the server")
    }
}
