import ArgumentParser
import Audit
import Foundation
import Gateway
import Store

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The access log (NEN 7513): verify it, sign checkpoints, export them, prove events.",
        subcommands: [Verify.self, Search.self, Export.self, Checkpoint.self, Checkpoints.self, Prove.self])

    /// The data directory, checked to hold a gateway's data.
    static func directory(_ option: DataDirectoryOption) throws -> DataDirectory {
        let directory = DataDirectory(path: option.path)
        guard directory.exists else { throw ValidationError("\(directory.path) holds no gateway data") }
        return directory
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the hash chain and check the signed checkpoints; name the first bad event.",
            discussion: """
                Checkpoints kept outside the gateway (from `zorgnet audit checkpoints`) catch a log that was cut back or \
                rewritten with recomputed hashes: pass them with --checkpoints. The public key is read from \
                <data-dir>/audit-signing.key.pub unless --public-key names another file.
                """)

        @OptionGroup var dataDirectory: DataDirectoryOption

        @Option(help: "Checkpoints held elsewhere: a file of JSON lines as `audit checkpoints` writes them.")
        var checkpoints: String?

        @Option(help: "The audit public key (hex), as in audit-signing.key.pub.")
        var publicKey: String?

        func run() async throws {
            let directory = try AuditCommand.directory(dataDirectory)
            // Read-only: verification must never create, migrate or write the log it judges. A missing
            // file is an error (AuditLogError.missingFile), not an "intact" empty log.
            let log = try AuditLog(readingAt: directory.auditDatabasePath)
            defer { try? log.close() }
            let keyFile = publicKey ?? directory.auditSigningKeyPath + ".pub"
            let verification: AuditVerification
            if FileManager.default.fileExists(atPath: keyFile) {
                let key = try AuditSigningKey.publicKey(hex: try String(contentsOfFile: keyFile, encoding: .utf8))
                let held = try checkpoints.map(Self.readCheckpoints) ?? []
                verification = try await log.verify(publicKey: key, held: held)
            } else {
                guard checkpoints == nil else { throw ValidationError("no audit public key at \(keyFile) to check the checkpoints with") }
                verification = try await log.verify()
            }
            print(verification)
            if !verification.isIntact { throw ExitCode(1) }
        }

        static func readCheckpoints(_ file: String) throws -> [AuditCheckpoint] {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            return try text.split(separator: "\n").enumerated().map { number, line in
                do {
                    return try JSONDecoder().decode(AuditCheckpoint.self, from: Data(line.utf8))
                } catch {
                    throw ValidationError("\(file) line \(number + 1) is no checkpoint: \(error)")
                }
            }
        }
    }

    /// The criteria `search` and `export` share, as an ``AuditQuery``.
    struct Criteria: ParsableArguments {
        @Option(help: "Events recorded at or after this instant or date (e.g. 2026-03-01).") var since: String?
        @Option(help: "Events recorded up to this instant, or within this date (2026-03 is all of March).") var until: String?
        @Option(help: "The patient id.") var patient: String?
        @Option(help: "A party id, or a person (citizen:…, professional:…).") var agent: String?
        @Option(help: "A resource, Type/id (every version).") var entity: String?
        @Option(help: "Kinds or kind groups, comma separated (fhir.read, consent, oauth.misuse …).") var kind: String?
        @Option(help: "Outcomes, comma separated: 0 success, 4 refused, 8 failed.") var outcome: String?

        func query() throws -> AuditQuery {
            var query = AuditQuery()
            query.since = since
            query.until = until
            query.patientID = patient
            query.agent = agent
            query.entity = entity
            let groups = Set(AuditEventKind.allCases.map(\.type))
            for kind in kind?.split(separator: ",").map(String.init) ?? [] {
                guard AuditEventKind(rawValue: kind) != nil || groups.contains(kind) else {
                    throw ValidationError("unknown kind \(kind); known: \(AuditEventKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                query.kinds.append(kind)
            }
            for code in outcome?.split(separator: ",") ?? [] {
                guard let known = AuditOutcome(rawValue: String(code)) else { throw ValidationError("outcome must be 0, 4 or 8, not \(code)") }
                query.outcomes.append(known)
            }
            return query
        }
    }

    /// Opens the log for an auditor's query and records that query in it first: NEN 7513 logs access
    /// to the log itself, from the command line as much as over the API.
    static func openForQuery(_ directory: DataDirectory, action: String) async throws -> AuditLog {
        let log = try AuditLog(path: directory.auditDatabasePath)
        try await log.append(
            AuditEvent(
                recorded: Instant.format(Date()), channel: .cli, method: "AUDIT", path: action, status: 0,
                detail: "auditor query from the command line", kind: .auditQuery))
        return log
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find events: who accessed which patient's data, when, on what basis, with what outcome.")

        @OptionGroup var dataDirectory: DataDirectoryOption
        @OptionGroup var criteria: Criteria
        @Option(help: "At most this many events (oldest first).") var limit = 100
        @Flag(help: "Print each event as a FHIR AuditEvent (one JSON object per line).") var json = false

        func run() async throws {
            let query = try criteria.query()
            let log = try await AuditCommand.openForQuery(try AuditCommand.directory(dataDirectory), action: "audit search")
            defer { try? log.close() }
            let page = try await log.search(query, count: max(1, min(limit, 10_000)))
            for record in page.records {
                if json {
                    print(String(decoding: AuditExportFormat.ndjson.line(record).dropLast(), as: UTF8.self))
                } else {
                    let event = record.event
                    let decision = event.decision.map { " [\($0.outcome.rawValue): \($0.consents.map { "Consent/\($0.id)" }.joined(separator: ", "))]" } ?? ""
                    print(
                        "\(record.sequence)\t\(event.recorded)\t\(event.kind?.rawValue ?? "-")\t\(AuditOutcome.of(event).rawValue)\t"
                            + "\(event.partyID ?? event.userID ?? "-")\t\(event.patientID ?? "-")\t\(event.method) \(event.path)\(decision)")
                }
            }
            if page.total > page.records.count {
                FileHandle.standardError.write(Data("\(page.records.count) of \(page.total) events shown; narrow the search or raise --limit\n".utf8))
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every matching event as NDJSON (FHIR AuditEvents) or CSV, streamed.",
            discussion: "Events never hold a BSN or clinical content, so an export may leave the care relation as it is.")

        @OptionGroup var dataDirectory: DataDirectoryOption
        @OptionGroup var criteria: Criteria
        @Option(help: "ndjson or csv.") var format = "ndjson"
        @Option(help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            guard let export = AuditExportFormat(rawValue: format) else { throw ValidationError("format must be ndjson or csv") }
            let query = try criteria.query()
            let log = try await AuditCommand.openForQuery(try AuditCommand.directory(dataDirectory), action: "audit export \(format)")
            defer { try? log.close() }
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
                    let opened = FileHandle(forWritingAtPath: output)
                else { throw ValidationError("cannot write \(output)") }
                handle = opened
            } else {
                handle = FileHandle.standardOutput
            }
            if let header = export.header { handle.write(Data(header.utf8)) }
            var count = 0
            for try await record in log.records(matching: query) {
                handle.write(Data(export.line(record)))
                count += 1
            }
            if output != nil { try handle.close() }
            FileHandle.standardError.write(Data("\(count) event(s) exported\n".utf8))
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a checkpoint over the log as it stands now (the gateway also does so periodically and at shutdown).")

        @OptionGroup var dataDirectory: DataDirectoryOption

        func run() async throws {
            let directory = try AuditCommand.directory(dataDirectory)
            let log = try AuditLog(path: directory.auditDatabasePath)
            defer { try? log.close() }
            let checkpoint = try await log.makeCheckpoint(signedWith: try AuditSigningKey.loadOrCreate(keyFile: directory.auditSigningKeyPath))
            print(try AuditCommand.jsonLine(checkpoint))
        }
    }

    struct Checkpoints: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the signed checkpoints as JSON lines, to keep outside the gateway (an auditor, another system).")

        @OptionGroup var dataDirectory: DataDirectoryOption

        @Option(help: "Only checkpoints covering more than this many events.")
        var after: Int64 = -1

        func run() async throws {
            let log = try AuditLog(readingAt: try AuditCommand.directory(dataDirectory).auditDatabasePath)
            defer { try? log.close() }
            for checkpoint in try await log.checkpoints() where checkpoint.size > after {
                print(try AuditCommand.jsonLine(checkpoint))
            }
        }
    }

    struct Prove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove that an event is in the log (--event N --size M), or that a later log extends an earlier one (--from M --to N).")

        @OptionGroup var dataDirectory: DataDirectoryOption

        @Option(help: "The event to prove.") var event: Int64?
        @Option(help: "The size of the signed tree to prove it against (default: the whole log).") var size: Int64?
        @Option(help: "The size of the earlier tree.") var from: Int64?
        @Option(help: "The size of the later tree.") var to: Int64?

        func run() async throws {
            let log = try AuditLog(readingAt: try AuditCommand.directory(dataDirectory).auditDatabasePath)
            defer { try? log.close() }
            let count = Int64(try await log.count())
            let object: [String: Any]
            if let event {
                let proof = try await log.inclusionProof(sequence: event, size: size ?? count)
                object = [
                    "event": proof.sequence, "size": proof.size, "leaf": Self.base64(proof.leaf), "path": proof.path.map(Self.base64),
                    "root": Self.base64(proof.root), "valid": proof.isValid,
                ]
            } else if let from {
                let proof = try await log.consistencyProof(from: from, to: to ?? count)
                object = [
                    "from": proof.oldSize, "to": proof.newSize, "fromRoot": Self.base64(proof.oldRoot), "toRoot": Self.base64(proof.newRoot),
                    "path": proof.path.map(Self.base64), "valid": proof.isValid,
                ]
            } else {
                throw ValidationError("give --event N (with --size M), or --from M (with --to N)")
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        }

        static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
    }

    static func jsonLine(_ checkpoint: AuditCheckpoint) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(checkpoint), as: UTF8.self)
    }
}
