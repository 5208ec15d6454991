import Auth
import FHIR
import Foundation
import Testing

@testable import Gateway
@testable import Audit

/// The auditor's API (`/audit`, back listener, auditor certificate only).
@Suite("Auditor API: search, export, verify")
struct AuditorAPITests {
    /// A gateway with some traffic: two patients' reads, a refused certificate-less search and metadata.
    static func withTraffic(_ body: @Sendable (RunningGateway) async throws -> Void) async throws {
        try await GatewayHarness.withGateway(seed: TestData.seed) { gateway in
            let p1 = try await gateway.token(patient: "p1")
            let p2 = try await gateway.token(patient: "p2")
            _ = try await gateway.request(.GET, "/fhir/Patient/p1", token: p1)
            _ = try await gateway.request(.GET, "/fhir/Observation?code=http://loinc.org%7C85354-9", token: p1)
            _ = try await gateway.request(.GET, "/fhir/Patient/p2", token: p2)
            _ = try await gateway.request(.GET, "/fhir/Patient/p1", token: "not-a-token")
            _ = try await gateway.request(.GET, "/fhir/metadata")
            try await body(gateway)
        }
    }

    static func entries(_ bundle: FHIRValue) -> [FHIRValue] {
        (bundle["entry"]?.elements ?? []).compactMap { $0["resource"] }
    }

    @Test("only an auditor certificate opens the audit log; others get 403, and the attempt is itself logged", arguments: [
        DevPKI.Party.pgoDemo, .hospitalDemo, .operator,
    ])
    func auditorsOnly(_ party: DevPKI.Party) async throws {
        try await Self.withTraffic { gateway in
            for path in ["/audit/AuditEvent", "/audit/export", "/audit/verify", "/audit/AuditEvent/1"] {
                let reply = try await gateway.request(.GET, path, as: party)
                #expect(reply.status == 403, "\(party) \(path)")
                let event = try #require(try await gateway.auditRecords().last?.event)
                #expect(event.kind == .auditQuery && event.status == 403)
            }
        }
    }

    @Test("a search by patient answers BALP AuditEvents of that patient only, with the patient entity and the reading app")
    func searchByPatient() async throws {
        try await Self.withTraffic { gateway in
            let reply = try await gateway.request(.GET, "/audit/AuditEvent?patient=p1&subtype=fhir.read", as: .auditor)
            #expect(reply.status == 200)
            let bundle = try reply.json()
            let all = Self.entries(bundle)
            // The read with an invalid token names no patient: a patient is only ever taken from a valid token.
            // The one read carries a consent decision, so it comes with its BALP decision event.
            #expect(bundle["total"]?.numberValue?.intValue == 2)
            let events = all.filter { $0["id"]?.stringValue?.hasSuffix("-authz") == false }
            #expect(events.count == 1)
            let decision = try #require(all.first { $0["id"]?.stringValue?.hasSuffix("-authz") == true })
            #expect(decision["subtype"]?.elements.first?["code"]?.stringValue == "AuthZ-Consent")
            #expect(decision["outcome"]?.stringValue == "0")
            #expect(decision["entity"]?.elements.contains { $0["reference"]?["reference"]?.stringValue?.hasPrefix("Consent/") == true } == true)
            let id = try #require(decision["id"]?.stringValue)
            #expect(try await gateway.request(.GET, "/audit/AuditEvent/\(id)", as: .auditor).json()["id"]?.stringValue == id)
            for event in events {
                #expect(event["resourceType"]?.stringValue == "AuditEvent")
                #expect(event["type"]?["code"]?.stringValue == "rest")
                #expect(event["subtype"]?.elements.contains { $0["code"]?.stringValue == "read" } == true)
                #expect(event["action"]?.stringValue == "R")
                let patient = event["entity"]?.elements.first { $0["role"]?["code"]?.stringValue == "1" }
                #expect(patient?["reference"]?["reference"]?.stringValue == "Patient/p1")
            }
            #expect(events.compactMap { $0["outcome"]?.stringValue } == ["0"])
            let app = events.first?["agent"]?.elements.first { $0["userId"]?["value"]?.stringValue == "pgo-demo" }
            #expect(app?["requestor"] == .boolean(true))
        }
    }

    @Test("search filters combine: date window, type, outcome, agent and entity; unknown parameters and values are refused by name", arguments: [
        // Totals count AuditEvent resources: an event with a consent decision is two (itself and the decision).
        ("type=fhir&outcome=4", 1),
        ("subtype=fhir.capabilities", 1),
        ("agent=pgo-demo&subtype=fhir.read", 5),
        ("entity=Patient/p2", 2),
        ("date=ge2000-01-01&date=le2999", 8),
        ("date=le2000", 0),
    ])
    func filters(_ query: String, _ expected: Int) async throws {
        try await Self.withTraffic { gateway in
            let bundle = try await gateway.request(.GET, "/audit/AuditEvent?\(query)", as: .auditor).json()
            #expect(bundle["total"]?.numberValue?.intValue == expected, "\(query)")
        }
    }

    @Test("bad audit queries are refused, naming what is wrong", arguments: [
        ("colour=red", "colour"), ("subtype=fhir.delete", "fhir.delete"), ("type=nonsense", "nonsense"), ("outcome=2", "outcome"),
        ("date=gt2026", "gt"), ("_count=0", "_count"),
    ])
    func badQueries(_ query: String, _ named: String) async throws {
        try await Self.withTraffic { gateway in
            let reply = try await gateway.request(.GET, "/audit/AuditEvent?\(query)", as: .auditor)
            #expect(reply.status == 400)
            #expect(reply.text.contains(named), "\(reply.text)")
        }
    }

    @Test("paging with _count follows next links through every event exactly once")
    func paging() async throws {
        try await Self.withTraffic { gateway in
            var path: String? = "/audit/AuditEvent?_count=2"
            var seen: [String] = []
            var pages = 0
            while let current = path, pages < 20 {
                let bundle = try await gateway.request(.GET, current, as: .auditor).json()
                seen += Self.entries(bundle).compactMap { $0["id"]?.stringValue }
                pages += 1
                let next = bundle["link"]?.elements.first { $0["relation"]?.stringValue == "next" }?["url"]?.stringValue
                path = next.map { String($0.dropFirst(gateway.backURL.count)) }
            }
            // The search requests themselves are appended while paging; the first page's total is the baseline.
            let events = seen.filter { !$0.hasSuffix("-authz") }
            #expect(events == events.sorted { Int($0) ?? 0 < Int($1) ?? 0 })
            #expect(Set(seen).count == seen.count)
            #expect(seen.prefix(7) == ["1", "1-authz", "2", "2-authz", "3", "3-authz", "4"], "each decision follows its event")
        }
    }

    @Test("export streams every matching event as NDJSON AuditEvents or as CSV rows")
    func export() async throws {
        try await Self.withTraffic { gateway in
            let ndjson = try await gateway.request(.GET, "/audit/export?patient=p1", as: .auditor)
            #expect(ndjson.status == 200)
            #expect(ndjson.header("content-type") == "application/fhir+ndjson")
            let lines = ndjson.text.split(separator: "\n")
            #expect(lines.count == 4, "the read and the search of p1, each with its consent decision")
            for line in lines {
                let resource = try FHIRJSON.parse(Array(line.utf8))
                #expect(resource["resourceType"]?.stringValue == "AuditEvent")
            }
            let csv = try await gateway.request(.GET, "/audit/export?format=csv&subtype=fhir.capabilities", as: .auditor)
            let rows = csv.text.split(separator: "\r\n")
            #expect(rows.first?.hasPrefix("sequence,recorded,kind,outcome") == true)
            #expect(rows.count == 2)
            #expect(rows.last?.contains(",fhir.capabilities,0,back,GET,/fhir/metadata,200,pgo-demo,") == true, "\(rows.last ?? "")")
            #expect(try await gateway.request(.GET, "/audit/export?format=xlsx", as: .auditor).status == 400)
        }
    }

    @Test("verify reports an intact log with its event count as FHIR Parameters")
    func verify() async throws {
        try await Self.withTraffic { gateway in
            let parameters = try await gateway.request(.GET, "/audit/verify", as: .auditor).json()
            let values = Dictionary(uniqueKeysWithValues: (parameters["parameter"]?.elements ?? []).compactMap { parameter in
                parameter["name"]?.stringValue.map { ($0, parameter) }
            })
            #expect(values["intact"]?["valueBoolean"] == .boolean(true))
            #expect((values["events"]?["valueInteger"]?.numberValue?.intValue ?? 0) >= 5)
        }
    }
}

@Suite("CSV fields of the audit export")
struct AuditExportCSVTests {
    @Test("fields are quoted per RFC 4180 and never start a spreadsheet formula", arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("=cmd()", "\"'=cmd()\""), ("-1", "\"'-1\""),
    ])
    func quoting(_ raw: String, _ expected: String) {
        #expect(AuditExportFormat.csvField(raw) == expected)
    }
}
