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
        let batches = stride(from: from, to: count, by: max(batch, 1)).map { $0..<min(count, $0 + max(batch, 1)) }
        // Two staging directories: the next batch of exports is generated while `zorgnet import` stores
        // the current one, so generating costs no wall time.
        let staging = ["\(data)/population-staging-a", "\(data)/population-staging-b"]
        let start = Date()
        if let first = batches.first { try writeExports(first, template: template, to: staging[0]) }
        for (index, numbers) in batches.enumerated() {
            async let imported: Void = runToCompletion(binary, ["import", "--data-dir", data, staging[index % 2]])
            if index + 1 < batches.count { try writeExports(batches[index + 1], template: template, to: staging[(index + 1) % 2]) }
            try await imported
            let elapsed = Date().timeIntervalSince(start)
            log(String(format: "imported %d of %d patients, %.0f s, %.1f patients/s", numbers.upperBound, count, elapsed, Double(numbers.upperBound - from) / elapsed))
        }
        for directory in staging { try? FileManager.default.removeItem(atPath: directory) }
        let ids = (0..<count).map { SyntheticPatient(number: $0, seed: seed).patientID }
        try (ids.joined(separator: "\n") + "\n").write(toFile: "\(data)/benchmark-patients.txt", atomically: true, encoding: .utf8)
        log(String(format: "done: %d patients in %.0f s", count - from, Date().timeIntervalSince(start)))
    }

    /// Writes the exports of patients `numbers` into an emptied `directory`, one file per patient.
    func writeExports(_ numbers: Range<Int>, template: [String: Any], to directory: String) throws {
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for number in numbers {
            let patient = SyntheticPatient(number: number, seed: seed)
            let json = try JSONSerialization.data(withJSONObject: patient.export(template: template), options: [.sortedKeys])
            try json.write(to: URL(fileURLWithPath: "\(directory)/\(patient.pzcID).json"))
        }
    }

    func log(_ text: String) {
        FileHandle.standardError.write(Data("[zorgnet-population] \(text)\n".utf8))
    }
}
