import ArgumentParser
import Foundation
import LoadSupport

@main
struct PopulationGenerator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zorgnet-population",
        abstract: "Write a deterministic synthetic population (PZC exports) into a gateway data directory.",
        discussion: """
            Creates the data directory with `zorgnet serve --demo` when it does not exist (the dev PKI, the demo \
            patients, and the demo flag that lets `zorgnet token issue` issue tokens), then generates COUNT PZC \
            exports from SEED and imports them with `zorgnet import`, in batches. The patient ids go to \
            DATA-DIR/benchmark-patients.txt, where zorgnet-load finds them. Running it again with a larger \
            COUNT and the same seed adds the missing patients (an import of an unchanged export writes nothing).
            """)

    @Option(help: "Gateway data directory.")
    var dataDir: String

    @Option(help: "Number of patients.")
    var count: Int

    @Option(help: "Seed: the same seed and count give the same population.")
    var seed: UInt64 = 7

    @Option(help: "Generate and import from this patient number on (to extend a population).")
    var from = 0

    @Option(help: "Exports per `zorgnet import` call.")
    var batch = 500

    @Option(help: "The gateway checkout (Fixtures/pzc/diabetes.json is the template; zorgnet runs there).")
    var gatewayRoot = ".."

    @Option(help: "Release zorgnet binary (default GATEWAY-ROOT/.build-release/release/zorgnet).")
    var zorgnet: String?

    func run() async throws {
        let root = URL(fileURLWithPath: gatewayRoot).standardizedFileURL.path
        let data = URL(fileURLWithPath: dataDir).standardizedFileURL.path
        let binary = zorgnet ?? "\(root)/.build-release/release/zorgnet"
        _ = FileManager.default.changeCurrentDirectoryPath(root)
        if !FileManager.default.fileExists(atPath: "\(data)/gateway.sqlite") {
            log("creating \(data) with the demo setup")
            let child = try ChildProcess(
                executable: binary, arguments: ["serve", "--demo", "--data-dir", data, "--front", "127.0.0.1:0", "--back", "127.0.0.1:0"])
            _ = try await child.waitForAddress(after: "back  (mutual TLS):", timeout: 300)
            child.stop()
        }
        let templateData = try Data(contentsOf: URL(fileURLWithPath: "\(root)/Fixtures/pzc/diabetes.json"))
        let template = try JSONSerialization.jsonObject(with: templateData) as! [String: Any]
        let staging = "\(data)/population-staging"
        let start = Date()
        var batchStart = from
        while batchStart < count {
            let batchEnd = min(count, batchStart + batch)
            try? FileManager.default.removeItem(atPath: staging)
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            for number in batchStart..<batchEnd {
                let patient = SyntheticPatient(number: number, seed: seed)
                let json = try JSONSerialization.data(withJSONObject: patient.export(template: template), options: [.sortedKeys])
                try json.write(to: URL(fileURLWithPath: "\(staging)/\(patient.pzcID).json"))
            }
            _ = try runTool(binary, ["import", "--data-dir", data, staging])
            let elapsed = Date().timeIntervalSince(start)
            log(String(format: "imported %d of %d patients, %.0f s, %.1f patients/s", batchEnd, count, elapsed, Double(batchEnd - from) / elapsed))
            batchStart = batchEnd
        }
        try? FileManager.default.removeItem(atPath: staging)
        let ids = (0..<count).map { SyntheticPatient(number: $0, seed: seed).patientID }
        try (ids.joined(separator: "\n") + "\n").write(toFile: "\(data)/benchmark-patients.txt", atomically: true, encoding: .utf8)
        log(String(format: "done: %d patients in %.0f s", count - from, Date().timeIntervalSince(start)))
    }

    func log(_ text: String) {
        FileHandle.standardError.write(Data("[zorgnet-population] \(text)\n".utf8))
    }
}
