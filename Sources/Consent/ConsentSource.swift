/// Where the consent policy reads a patient's consents for a request.
///
/// The gateway always reads them from ``ConsentRepository``, fresh per request. The seam exists so
/// that the benchmarks can measure what that lookup costs on the read path by serving the same gateway
/// from consents held in memory (see BENCHMARKS.md, "audit and consent overhead"); `zorgnet serve` has
/// no way to choose one.
///
/// ```swift
/// let source: any ConsentSource = ConsentRepository(database: database)
/// let versions = try await source.latestVersions(patientID: "p1")
/// ```
public protocol ConsentSource: Sendable {
    /// The latest version of every consent of the patient, in force or not.
    func latestVersions(patientID: String) async throws -> [ConsentRecord]
}

extension ConsentRepository: ConsentSource {}
