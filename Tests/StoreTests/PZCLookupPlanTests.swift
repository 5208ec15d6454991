import GRDB
import Testing

@testable import Store

/// Lookups of imported PZCs by BSN, patient or member must read their own rows through an index,
/// never every PZC: at 10,000 patients a scan of `pzc` cost 1.9 ms a push, and `pzc_resource` holds
/// every resource of every import.
@Suite("PZC lookups read through an index")
struct PZCLookupPlanTests {
    @Test("a push's BSN lookup, a patient's members and a member's communities scan no table", arguments: [
        (PushStore.patientsByBSN, ["999945592"]),
        (PZCRecords.membersOfPatient, ["pzc-park-patient"]),
        (PZCRecords.communitiesOfMember, ["pzc-park-huisarts"]),
    ] as [(String, [String])])
    func noScan(sql: String, arguments: [String]) throws {
        let database = try makeDatabase()
        let steps = try database.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(arguments)).map { $0["detail"] as String }
        }
        #expect(!steps.contains { $0.hasPrefix("SCAN") }, "plan:\n\(steps.joined(separator: "\n"))")
    }
}
