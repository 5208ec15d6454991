import GRDB

extension AuditLog {
    /// The newest events about one patient that carry a consent decision (the accesses to the
    /// patient's data that the consent decision point judged), newest first: what the patient portal
    /// tells the patient under "who looked at my data" (NEN 7513 ch. 9, the patient's own view).
    ///
    /// Only reads: on a log opened for appending it goes through the pool's reader connections, which
    /// GRDB opens read-only, so showing the log can never alter it.
    ///
    /// ```swift
    /// let recent = try await log.decisionEvents(patientID: "p1", limit: 100)
    /// recent.first?.event.decision?.consents   // the consent versions that permitted it
    /// ```
    public func decisionEvents(patientID: String, limit: Int) async throws -> [AuditRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM audit_event
                    WHERE patient_id = ? AND decision IS NOT NULL
                    ORDER BY seq DESC LIMIT ?
                    """,
                arguments: [patientID, max(0, limit)]
            ).map { try AuditLog.record(from: $0) }
        }
    }
}
