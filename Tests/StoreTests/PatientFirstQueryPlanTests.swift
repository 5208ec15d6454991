import FHIR
import GRDB
import Testing

@testable import Store

/// A patient's search, `$lastn` and `_include` must cost in proportion to that patient's data, not to
/// the population: the BgZ codes (blood pressure, smoking, lab results) are shared by every patient,
/// so a plan that starts from the code's index rows, or from every referrer of a GP practice, does
/// work for every patient in the database. These tests read SQLite's plan for the statements the
/// store runs (the schema has no ANALYZE statistics, so an empty database plans like a full one).
@Suite("Patient-scoped queries start from the patient's compartment")
struct PatientFirstQueryPlanTests {
    static let patient = AccessScope.patient(id: "p1")

    /// Indexes whose rows belong to every patient: led by a parameter, a code or a reference target.
    static let populationWideIndexes = [
        "token_index_lookup", "string_index_lookup", "string_index_exact", "date_index_lookup", "reference_index_lookup",
        "quantity_index_lookup", "uri_index_lookup", "resource_link_by_target", "resource_by_type",
    ]

    /// Intermediate results a plan may scan: they hold one patient's rows already.
    static let patientSizedScans = ["SCAN c", "SCAN ranked", "SCAN s", "SCAN (subquery"]

    /// The steps of SQLite's plan for `sql`, in order.
    static func plan(_ sql: String, _ arguments: StatementArguments) throws -> [String] {
        let database = try makeDatabase()
        return try database.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] }
        }
    }

    /// Fails unless every step reads one patient's (or one page's) rows: no population-wide index, no
    /// table scan, and the first step is the one given.
    static func expectBoundedByPatient(
        _ steps: [String], firstStep: String = "SEARCH pc USING PRIMARY KEY (patient_id=? AND resource_type=?)",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let reads = steps.filter { $0.hasPrefix("SEARCH") || $0.hasPrefix("SCAN") }
        #expect(reads.first == firstStep, "plan:\n\(steps.joined(separator: "\n"))", sourceLocation: sourceLocation)
        for step in reads {
            #expect(
                !populationWideIndexes.contains { step.contains($0) }, "population-wide step: \(step)", sourceLocation: sourceLocation)
            if step.hasPrefix("SCAN") {
                #expect(patientSizedScans.contains { step.hasPrefix($0) }, "table scan: \(step)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a token search for one patient reads that patient's compartment first and each resource's own tokens")
    func tokenSearchForOnePatientStartsFromTheirCompartment() throws {
        for parameters in [
            [("code", "http://snomed.info/sct|228366006")],
            [("code", "http://snomed.info/sct|228366006"), ("_sort", "-date")],
            [("category", "http://snomed.info/sct|275711006"), ("code:missing", "false")],
        ] {
            let query = try SearchQuery.parse(resourceType: "Observation", parameters: parameters)
            let statement = try SearchStatement(query: query, scope: Self.patient, snapshotMilliseconds: .max, after: nil, limit: 51)
            Self.expectBoundedByPatient(try Self.plan(statement.sql, statement.arguments))
            Self.expectBoundedByPatient(try Self.plan(statement.countSQL, statement.countArguments))
        }
    }

    @Test("a token search over the whole database (a conditional create's identifier) reads the identifier's index rows, not each resource's")
    func tokenSearchOverEverythingStartsFromTheTokenIndex() throws {
        let query = try SearchQuery.parse(
            resourceType: "Organization", parameters: [("identifier", "http://fhir.nl/fhir/NamingSystem/ura|90000123")])
        let statement = try SearchStatement(query: query, scope: .everything, snapshotMilliseconds: .max, after: nil, limit: 2)
        let steps = try Self.plan(statement.sql, statement.arguments)
        #expect(steps.contains { $0.contains("token_index_lookup (param=? AND code=? AND system=?)") }, "plan:\n\(steps.joined(separator: "\n"))")
        #expect(!steps.contains { $0.contains("token_index_by_resource") }, "plan:\n\(steps.joined(separator: "\n"))")
    }

    @Test("$lastn for one patient ranks only that patient's observations")
    func lastNForOnePatientRanksOnlyTheirObservations() throws {
        for parameters in [
            [("code", "http://loinc.org|85354-9")],
            [("category", "http://snomed.info/sct|275711006"), ("_include", "Observation:specimen")],
        ] {
            let query = try SearchQuery.parse(resourceType: "Observation", parameters: parameters)
            let ranking = ResourceRepository.lastNRanking(query, max: 1, scope: Self.patient, snapshotMilliseconds: .max)
            Self.expectBoundedByPatient(try Self.plan(ranking.sql, ranking.arguments))
            let codes = ResourceRepository.lastNCodes(query, scope: Self.patient, snapshotMilliseconds: .max)
            Self.expectBoundedByPatient(try Self.plan(codes.sql, codes.arguments))
        }
    }

    @Test("_include for one patient follows the page's own references and checks shared targets from the patient's side")
    func includesForOnePatientStartFromThePage() throws {
        let requests = [
            IncludeRequest(sourceType: "Observation", parameter: "specimen"),
            IncludeRequest(sourceType: "Patient", parameter: "general-practitioner"),
            IncludeRequest(sourceType: "Coverage", parameter: "payor", targetType: "Organization"),
        ]
        for request in requests {
            for withReferrer in [false, true] {
                let statement = ResourceRepository.includeStatement(request, of: [1, 2, 3], scope: Self.patient, withReferrer: withReferrer)
                Self.expectBoundedByPatient(
                    try Self.plan(statement.sql, statement.arguments),
                    firstStep: "SEARCH ri USING INDEX reference_index_by_resource (resource_key=?)")
            }
        }
    }

    @Test("a search for a shared type (the patient's practitioners) starts from the patient's compartment")
    func sharedTypeSearchForOnePatientStartsFromTheirCompartment() throws {
        for type in ["Practitioner", "Binary"] {
            let query = try SearchQuery.parse(resourceType: type, parameters: [])
            let statement = try SearchStatement(query: query, scope: Self.patient, snapshotMilliseconds: .max, after: nil, limit: 51)
            let steps = try Self.plan(statement.sql, statement.arguments)
            Self.expectBoundedByPatient(steps)
            #expect(
                steps.contains { $0.hasPrefix("SEARCH pl USING PRIMARY KEY (patient_id=? AND target_type=?") },
                "plan:\n\(steps.joined(separator: "\n"))")
        }
    }

    @Test("whether a patient may see one shared resource is a primary-key lookup of the patient's links, not a walk of the record")
    func sharedResourceVisibilityIsOneLookup() throws {
        let steps = try Self.plan(ReadSQL.visibleKeyPatient, ["Medication", "m1"] + Visibility.arguments("p1"))
        #expect(
            steps.contains { $0.contains("SEARCH pl USING PRIMARY KEY (patient_id=? AND target_type=? AND target_id=?)") },
            "plan:\n\(steps.joined(separator: "\n"))")
        #expect(!steps.contains { $0.contains("resource_link") || $0.contains("SCAN") }, "plan:\n\(steps.joined(separator: "\n"))")
    }
}
