import Audit
import Benchmark
import Consent
import FHIR
import Foundation
import Zib

// Micro-benchmarks of the gateway's hot paths, on a BgZ-sized record: the demo diabetes PZC export
// (Fixtures/pzc/diabetes.json) mapped to zibs and rendered as its FHIR STU3 resources, and those
// resources in one searchset Bundle, as JSON and as XML.
//
//   cd Benchmarks && ZORGNET_MICRO=1 swift package --allow-writing-to-package-directory benchmark
//
// Wall clock and allocations per iteration; one iteration handles the whole record (all its resources)
// unless the name says otherwise.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 3,
        maxDuration: .seconds(3),
        maxIterations: 10_000)
    let record = MicroFixture.shared

    Benchmark("JSON parse, BgZ Bundle (\(record.resources.count) resources)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try FHIRJSON.parseResource(record.bundleJSON)) }
    }
    Benchmark("JSON serialize, BgZ Bundle") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(FHIRJSON.serialize(record.bundle)) }
    }
    Benchmark("XML parse, BgZ Bundle") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try FHIRXML.parseResource(record.bundleXML)) }
    }
    Benchmark("XML serialize, BgZ Bundle") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(FHIRXML.serialize(record.bundle)) }
    }
    Benchmark("PZC export decode") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try PZCExport.decode(from: record.exportData)) }
    }
    Benchmark("PZC entry → zib mapping and STU3 rendering, whole export") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(STU3Renderer().render(PZCMapper.map(record.export), export: record.export))
        }
    }
    Benchmark("Profile validation, every resource of the record") { benchmark in
        for _ in benchmark.scaledIterations {
            for resource in record.resources { blackHole(record.validator.validate(resource)) }
        }
    }
    Benchmark("Search-index extraction, every resource of the record") { benchmark in
        let indexer = SearchIndexer()
        for _ in benchmark.scaledIterations {
            for resource in record.resources { blackHole(indexer.entries(for: resource)) }
        }
    }
    Benchmark("Consent decision, every resource of the record") { benchmark in
        let point = ConsentDecisionPoint()
        let now = Date()
        for _ in benchmark.scaledIterations {
            for request in record.accessRequests { blackHole(point.decide(request, consents: record.consents, at: now)) }
        }
    }
    Benchmark("Consent decision incl. reading categories and date from the resource") { benchmark in
        let point = ConsentDecisionPoint()
        let now = Date()
        for _ in benchmark.scaledIterations {
            for resource in record.resources {
                let request = AccessRequest(patientID: record.patientID, actor: .pgoApp("pgo-demo"), action: .collect, resource: resource)
                blackHole(point.decide(request, consents: record.consents, at: now))
            }
        }
    }
    Benchmark("Audit append, one at a time (durable: WAL, synchronous FULL)") { benchmark in
        let log = try AuditLog(path: MicroFixture.temporaryFile("audit-serial"))
        for _ in benchmark.scaledIterations { blackHole(try await log.append(MicroFixture.readEvent())) }
        try log.close()
    }
    Benchmark("Audit append, 16 concurrent (group commit), per 16 events") { benchmark in
        let log = try AuditLog(path: MicroFixture.temporaryFile("audit-group"))
        for _ in benchmark.scaledIterations {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<16 { group.addTask { _ = try await log.append(MicroFixture.readEvent()) } }
                try await group.waitForAll()
            }
        }
        try log.close()
    }
}
