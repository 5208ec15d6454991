import Audit
import Exchange
import FHIR
import Foundation
import Store

/// How often and how patiently a failed query is tried again. Only transient faults (unreachable,
/// timeout, 5xx) are retried; a trust or protocol fault fails at once.
struct RetryPolicy: Sendable, Hashable {
    var attempts: Int = 3
    var firstDelay: Duration = .milliseconds(500)

    func delay(afterAttempt attempt: Int) -> Duration { firstDelay * (1 << max(0, attempt - 1)) }
}

/// Runs the 28 BgZ queries at one provider for one patient and stores what comes back, query by query.
///
/// A query's pages are all fetched before anything is written, and then written in one transaction
/// with their provenance: a query that fails stores nothing and leaves what an earlier collection
/// stored untouched. Resources of another patient, or of a type the query does not ask for, are
/// refused and audited as incidents; the rest of the answer is kept.
struct BgZCollector: Sendable {
    let client: OutboundClient
    let repository: ResourceRepository
    let store: CollectStore
    let audit: @Sendable (AuditEvent) async throws -> Void
    var retry = RetryPolicy()
    /// A provider answering more pages than this for one query is cut off (a `next` loop).
    var maxPages = 100

    struct Run: Sendable {
        let endpoint: ProviderEndpoint
        let patientID: String
        let accessToken: String
        let correlationID: String
        let runID: String
    }

    func collect(_ run: Run, progress: @Sendable (CollectQueryOutcome) async -> Void = { _ in }) async throws -> [CollectQueryOutcome] {
        var outcomes: [CollectQueryOutcome] = []
        // Query 1 names the patient the token is for; without it no resource can be checked, so none is stored.
        var remotePatientID: String?
        for query in BgZQueries.all {
            let outcome: CollectQueryOutcome
            switch await fetchWithRetry(query, run) {
            case .failure(let error, let attempts):
                outcome = CollectQueryOutcome(queryNumber: query.number, kind: .failed, resources: 0, refused: 0, attempts: attempts, detail: error)
            case .success(let entries, let attempts):
                if query.number == 1 {
                    let patients = entries.filter { $0.isMatch && $0.resource.resourceType == "Patient" }
                    remotePatientID = patients.count == 1 ? patients[0].resource.id : nil
                }
                if let remotePatientID {
                    outcome = try await storeAnswer(entries, query: query, run: run, remotePatientID: remotePatientID, attempts: attempts)
                } else {
                    outcome = CollectQueryOutcome(
                        queryNumber: query.number, kind: .failed, resources: 0, refused: entries.count, attempts: attempts,
                        detail: "the provider did not name exactly one patient for this authorization")
                }
            }
            try await store.recordOutcome(outcome, runID: run.runID, patientID: run.patientID, providerName: run.endpoint.providerName)
            try await audit(event(run, status: outcome.kind == .stored ? 200 : 502, detail: Self.describe(outcome, provider: run.endpoint.providerName)))
            outcomes.append(outcome)
            await progress(outcome)
        }
        return outcomes
    }

    // MARK: - Fetching

    struct Entry: Sendable {
        let resource: FHIRResource
        let isMatch: Bool
    }

    enum Fetched: Sendable {
        case success([Entry], attempts: Int)
        case failure(String, attempts: Int)
    }

    private func fetchWithRetry(_ query: BgZQueries.Query, _ run: Run) async -> Fetched {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return .success(try await fetchAllPages(query, run), attempts: attempt)
            } catch let error as OutboundError where error.isTransient && attempt < retry.attempts {
                try? await Task.sleep(for: retry.delay(afterAttempt: attempt))
            } catch {
                return .failure(String(describing: error), attempts: attempt)
            }
        }
    }

    private func fetchAllPages(_ query: BgZQueries.Query, _ run: Run) async throws -> [Entry] {
        let base = run.endpoint.resourceEndpoint
        var url: String? = base + "/" + query.path
        var entries: [Entry] = []
        var pages = 0
        while let next = url {
            pages += 1
            guard pages <= maxPages else { throw OutboundError.malformedFHIR(reason: "more than \(maxPages) pages") }
            let bundle = try await client.fetchFHIR(
                url: next, bearer: run.accessToken,
                headers: [("MedMij-Request-ID", UUID().uuidString.lowercased()), ("X-Correlation-ID", run.correlationID)],
                credentials: run.endpoint.credentials)
            guard bundle.resourceType == "Bundle", bundle["type"]?.stringValue == "searchset" else {
                throw OutboundError.malformedFHIR(reason: "a \(bundle.resourceType) instead of a searchset Bundle")
            }
            for entry in bundle["entry"]?.elements ?? [] {
                let mode = entry["search"]?["mode"]?.stringValue ?? "match"
                guard mode != "outcome", let object = entry["resource"]?.objectValue else { continue }
                guard let resource = try? FHIRResource(object) else { throw OutboundError.malformedFHIR(reason: "an entry without a resource type") }
                entries.append(Entry(resource: resource, isMatch: mode == "match"))
            }
            url = try Self.nextLink(bundle, base: base)
        }
        return entries
    }

    /// The `next` link, which must stay under the provider's FHIR base: the bearer token goes with it.
    static func nextLink(_ bundle: FHIRResource, base: String) throws -> String? {
        guard let link = bundle["link"]?.elements.first(where: { $0["relation"]?.stringValue == "next" }), let url = link["url"]?.stringValue else {
            return nil
        }
        guard url.lowercased().hasPrefix(base.lowercased() + "/") || url.lowercased().hasPrefix(base.lowercased() + "?") else {
            throw OutboundError.malformedFHIR(reason: "a next link outside the provider's FHIR base")
        }
        return url
    }

    // MARK: - Storing

    private func storeAnswer(_ entries: [Entry], query: BgZQueries.Query, run: Run, remotePatientID: String, attempts: Int) async throws
        -> CollectQueryOutcome
    {
        let mapper = CollectedResourceMapper(
            providerName: run.endpoint.providerName, baseURL: run.endpoint.resourceEndpoint, remotePatientID: remotePatientID,
            localPatientID: run.patientID)
        var accepted: [(IncomingResource, source: String)] = []
        var refused = 0
        for entry in entries {
            // The provider's Patient is the patient the record already has; it is matched, not stored.
            if entry.resource.resourceType == "Patient", entry.resource.id == remotePatientID { continue }
            do {
                let mapped = try mapper.map(entry.resource, query: query, isMatch: entry.isMatch, repository: repository)
                accepted.append((IncomingResource(resource: mapped, receivedFormat: .json, receivedBytes: FHIRJSON.serialize(mapped)),
                                 "\(entry.resource.resourceType)/\(entry.resource.id ?? "")"))
            } catch {
                refused += 1
                try await audit(
                    event(run, status: 422, detail: "incident: refused \(error) from \(run.endpoint.providerName) (BgZ query \(query.number))",
                          kind: .collectRefused))
            }
        }
        let now = Date()
        let repository = repository
        let endpoint = run.endpoint
        let batch = accepted
        let provenance = CollectProvenance(
            providerName: endpoint.displayName, ura: endpoint.ura, patientID: run.patientID, queryURL: endpoint.resourceEndpoint + "/" + query.path,
            recorded: now)
        let stored = try await repository.database.pool.write { db in
            let results = try repository.store(batch.map(\.0), in: db, at: now)
            if !results.isEmpty {
                let resource = provenance.resource(for: results.map(\.stored))
                _ = try repository.store(
                    [IncomingResource.produced(resource)], in: db, at: now)
            }
            for (result, item) in zip(results, batch) {
                let version = result.stored
                try CollectStore.recordProvenance(
                    CollectedProvenance(
                        resourceType: version.type, resourceID: version.id, version: version.version, patientID: run.patientID,
                        providerName: endpoint.providerName, sourceURA: endpoint.ura, sourceReference: item.source, queryNumber: query.number,
                        query: query.path, runID: run.runID),
                    at: now, in: db)
            }
            return results.count
        }
        return CollectQueryOutcome(queryNumber: query.number, kind: .stored, resources: stored, refused: refused, attempts: attempts)
    }

    private func event(_ run: Run, status: Int, detail: String, kind: AuditEventKind = .collect) -> AuditEvent {
        AuditEvent(
            recorded: Instant.format(Date()), channel: .back, method: "GET", path: "collect \(run.endpoint.providerName)", status: status,
            patientID: run.patientID, correlationID: run.correlationID, detail: detail, kind: kind)
    }

    static func describe(_ outcome: CollectQueryOutcome, provider: String) -> String {
        switch outcome.kind {
        case .stored: "BgZ query \(outcome.queryNumber) collected from \(provider): \(outcome.resources) stored, \(outcome.refused) refused"
        case .failed: "BgZ query \(outcome.queryNumber) from \(provider) failed after \(outcome.attempts) attempt(s): \(outcome.detail ?? "-")"
        }
    }
}
