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
    public func decisionEvents(
        patientID: String, limit: Int, since: String? = nil, until: String? = nil, agent: String? = nil
    ) async throws -> [AuditRecord] {
        var query = AuditQuery()
        query.patientID = patientID
        query.since = since
        query.until = until
        query.agent = agent
        let (filter, arguments) = query.sql()
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM audit_event WHERE \(filter) AND decision IS NOT NULL ORDER BY seq DESC LIMIT ?",
                arguments: arguments + [max(0, limit)]
            ).map { try AuditLog.record(from: $0) }
        }
    }

    /// Who has accessed one patient's data (or tried to): each party id with its kind, once.
    public func decisionAgents(patientID: String) async throws -> [(partyID: String, partyKind: String?)] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT party_id, MAX(party_kind) AS party_kind FROM audit_event
                    WHERE patient_id = ? AND decision IS NOT NULL AND party_id IS NOT NULL
                    GROUP BY party_id ORDER BY party_id
                    """,
                arguments: [patientID]
            ).map { (partyID: $0["party_id"], partyKind: $0["party_kind"]) }
        }
    }
}
