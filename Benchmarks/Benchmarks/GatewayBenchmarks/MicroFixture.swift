import Audit
import Consent
import FHIR
import Foundation
import Store
import Zib

/// The record the micro-benchmarks work on, built once.
struct MicroFixture: Sendable {
    static let shared: MicroFixture = {
        do { return try MicroFixture() } catch { fatalError("cannot build the micro-benchmark fixture: \(error)") }
    }()

    let exportData: Data
    let export: PZCExport
    let resources: [FHIRResource]
    let bundle: FHIRResource
    let bundleJSON: [UInt8]
    let bundleXML: [UInt8]
    let validator: ProfileValidator
    let patientID: String
    let consents: [ConsentRecord]
    let accessRequests: [AccessRequest]

    /// The gateway checkout: ZORGNET_GATEWAY_ROOT, or the directory above the Benchmarks package.
    static var gatewayRoot: String {
        if let root = ProcessInfo.processInfo.environment["ZORGNET_GATEWAY_ROOT"] { return root }
        // This file is Benchmarks/Benchmarks/GatewayBenchmarks/MicroFixture.swift in the checkout.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }

    init() throws {
        let root = Self.gatewayRoot
        exportData = try Data(contentsOf: URL(fileURLWithPath: "\(root)/Fixtures/pzc/diabetes.json"))
        export = try PZCExport.decode(from: exportData)
        resources = STU3Renderer().render(PZCMapper.map(export), export: export).resources
        validator = try ProfileValidator.loadProjectProfiles(from: "\(root)/Profiles")

        // A searchset Bundle of every resource, as the gateway answers a search.
        var json = Array(#"{"resourceType":"Bundle","type":"searchset","total":\#(resources.count),"entry":["#.utf8)
        for (index, resource) in resources.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            json += Array(#"{"fullUrl":"https://zorgnet.test/fhir/\#(resource.resourceType)/\#(resource.id ?? "")","resource":"#.utf8)
            json += FHIRJSON.serialize(resource)
            json += Array(#","search":{"mode":"match"}}"#.utf8)
        }
        json += Array("]}".utf8)
        bundle = try FHIRJSON.parseResource(json)
        bundleJSON = FHIRJSON.serialize(bundle)
        bundleXML = FHIRXML.serialize(bundle)

        patientID = resources.first { $0.resourceType == "Patient" }?.id ?? "pzc-diab-patient"
        // The demo consent: the demo app may collect everything (DemoConsent in the gateway).
        let consent = ConsentRecord(
            id: "bench-consent", patientID: patientID, recordedAt: Date(timeIntervalSince1970: 1_700_000_000),
            validity: ConsentPeriod(start: Date(timeIntervalSince1970: 1_700_000_000)),
            root: Provision(.permit, actors: [.pgoApp("pgo-demo")], actions: [.collect], categories: [.everything]))
        consents = [consent]
        accessRequests = resources.map { [patientID] resource in
            AccessRequest(patientID: patientID, actor: .pgoApp("pgo-demo"), action: .collect, resource: resource)
        }
    }

    /// A fresh file under the temporary directory for an audit log.
    static func temporaryFile(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "zorgnet-micro-\(name)-\(UUID().uuidString).sqlite"
        return path
    }

    /// What the audit middleware records for one read of a resource by a PGO app.
    static func readEvent() -> AuditEvent {
        AuditEvent(
            recorded: Instant.format(Date()), channel: .back, method: "GET", path: "/fhir/Observation/pzc-diab-m-1",
            status: 200, partyID: "pgo-demo", partyKind: "app", certificateFingerprint: String(repeating: "ab", count: 32),
            patientID: "pzc-diab-patient", entities: ["Observation/pzc-diab-m-1/_history/1"], requestID: UUID().uuidString)
    }
}
