import ArgumentParser
import Foundation
import Gateway
import Store

struct PZCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pzc", abstract: "Personal care communities (PZCs) in the data directory.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the imported PZCs: id, patient, FHIR patient id, entry counts.")

        @OptionGroup var dataDirectory: DataDirectoryOption

        @Flag(help: "Print a JSON array of objects with id, patient, name, bsn, title, importedAt and entries.")
        var json = false

        struct Listing: Encodable {
            var id: String
            var patient: String
            var name: String
            var bsn: String?
            var title: String
            var importedAt: String
            var entries: [String: Int]

            enum CodingKeys: String, CodingKey { case id, patient, name, bsn, title, importedAt, entries }

            /// `bsn` is always present, `null` when the PZC has none, so scripts can rely on the key.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(id, forKey: .id)
                try container.encode(patient, forKey: .patient)
                try container.encode(name, forKey: .name)
                try container.encode(bsn, forKey: .bsn)
                try container.encode(title, forKey: .title)
                try container.encode(importedAt, forKey: .importedAt)
                try container.encode(entries, forKey: .entries)
            }
        }

        func run() async throws {
            let directory = DataDirectory(path: dataDirectory.path)
            guard directory.exists else { throw ValidationError("\(directory.path) holds no gateway data") }
            let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
            defer { try? database.close() }
            let records = try await PZCRecords(database: database).all()
            if json {
                let listings = records.map {
                    Listing(id: $0.pzcID, patient: $0.patientResourceID, name: $0.patientName, bsn: $0.bsn, title: $0.title,
                            importedAt: $0.importedAt, entries: $0.entryCounts)
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(listings), as: UTF8.self))
                return
            }
            for record in records {
                let total = record.entryCounts.values.reduce(0, +)
                print("\(record.pzcID)\t\(record.patientName)\tPatient/\(record.patientResourceID)\t\(total) entries")
            }
        }
    }
}
