/// Group commit for the audit log: appends that arrive while a transaction is being written wait, and
/// are then written together in the next one. Every caller still returns only after the transaction
/// holding its event is durable, so the rule "logged before answered" holds; what changes is that
/// many concurrent requests share one `fsync` instead of paying one each.
///
/// No task is spawned: the first caller to find the writer idle writes the batch itself, while the
/// actor, suspended in that write, keeps taking new events into the queue for the next batch.
actor AuditGroupCommit {
    /// More events than this in one transaction would hold the write lock longer than the latency
    /// saved is worth; the rest go in the next transaction.
    static let maximumBatch = 256

    private var queue: [(ticket: Int, event: AuditEvent)] = []
    private var results: [Int: Result<AuditRecord, any Error>] = [:]
    private var nextTicket = 0
    private var writing = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Transactions written so far (for tests and metrics).
    private(set) var transactions = 0

    func append(_ event: AuditEvent, write: @Sendable ([AuditEvent]) async throws -> [AuditRecord]) async throws -> AuditRecord {
        let ticket = nextTicket
        nextTicket += 1
        queue.append((ticket, event))
        while true {
            if let result = results.removeValue(forKey: ticket) { return try result.get() }
            if writing {
                await withCheckedContinuation { waiters.append($0) }
                continue
            }
            writing = true
            let batch = Array(queue.prefix(Self.maximumBatch))
            queue.removeFirst(batch.count)
            do {
                let records = try await write(batch.map(\.event))
                for (item, record) in zip(batch, records) { results[item.ticket] = .success(record) }
            } catch {
                for item in batch { results[item.ticket] = .failure(error) }
            }
            transactions += 1
            writing = false
            let waiting = waiters
            waiters.removeAll()
            for waiter in waiting { waiter.resume() }
        }
    }
}
