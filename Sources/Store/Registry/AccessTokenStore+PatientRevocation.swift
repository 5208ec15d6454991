import GRDB

extension AccessTokenStore {
    /// Revokes every access token one party holds for one patient, whatever grant (or none, for a
    /// token issued by hand) it came from; returns how many were still unrevoked. Used when the
    /// patient withdraws an app's access in the portal: no token the app holds may outlive that.
    public func revokeAll(partyID: String, patientID: String) async throws -> Int {
        try await database.pool.write { db in
            try db.execute(
                sql: "UPDATE access_token SET revoked = 1 WHERE party_id = ? AND patient_id = ? AND revoked = 0",
                arguments: [partyID, patientID])
            return db.changesCount
        }
    }
}
