import Foundation
import Store
import Testing

@testable import Exchange

@Suite("MedMij lists kept in SQLite: written, persisted, edited as new publications")
struct MedMijListRegistryTests {
    private func withDatabase(_ body: (GatewayDatabase, URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lists-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("gateway.sqlite")
        let database = try GatewayDatabase(path: path.path)
        try await body(database, path)
        try? database.close()
    }

    @Test("Writing a list and parsing it again gives the same list", arguments: MedMijListKind.allCases)
    func writerRoundTrips(kind: MedMijListKind) throws {
        let parser = try ListFixtures.parser()
        let list = try parser.parse(try ListFixtures.bytes(kind), as: kind)
        #expect(try parser.parse(list.xml(), as: kind) == list)
    }

    @Test("Text that needs escaping survives the writer")
    func writerEscapes() throws {
        let parser = try ListFixtures.parser()
        let list = MedMijList.oauthClients(
            OAuthClientList(
                timestamp: "2026-01-01T00:00:00Z", sequenceNumber: 1,
                clients: [OAuthClient(hostname: "pgo.example.nl", organisationName: "Smit & <Zn> \"PGO\"")]))
        #expect(try parser.parse(list.xml(), as: .oauthClientList) == list)
    }

    @Test("An accepted list is in force again after a restart; a refused one never is")
    func persistsAcrossRestarts() async throws {
        try await withDatabase { database, path in
            let parser = try ListFixtures.parser()
            let registry = try await MedMijListRegistry.open(database: database, parser: parser)
            let accepted = try await registry.offer(xml: ListFixtures.bytes(.whitelist), kind: .whitelist, source: .file)
            #expect(accepted == .success(.accepted(sequenceNumber: 3, replacing: nil)))
            let older = Array(ListFixtures.withSequenceNumber("2", in: try ListFixtures.text(.whitelist)).utf8)
            #expect(try await registry.offer(xml: older, kind: .whitelist, source: .file)
                == .failure(.olderSequenceNumber(offered: 2, inForce: 3)))

            // A second pool on the same file, as a restarted gateway opens it.
            let reopened = try GatewayDatabase(path: path.path)
            let restarted = try await MedMijListRegistry.open(database: reopened, parser: parser)
            #expect(try await restarted.whitelist()?.sequenceNumber == 3)
            #expect(try await restarted.publications(.whitelist).map(\.sequenceNumber) == [3])
            try reopened.close()
        }
    }

    @Test("An edit becomes the next publication, validated like a download")
    func editsAreNewPublications() async throws {
        try await withDatabase { database, _ in
            let registry = try await MedMijListRegistry.open(database: database, parser: try ListFixtures.parser())
            _ = try await registry.offer(xml: ListFixtures.bytes(.oauthClientList), kind: .oauthClientList, source: .file)
            let result = try await registry.edit(.oauthClientList) { list in
                guard case .oauthClients(var ocl) = list else { return }
                ocl.clients[0].status = .suspended
                list = .oauthClients(ocl)
            }
            #expect(result == .success(.accepted(sequenceNumber: 8, replacing: 7)))
            let ocl = try #require(try await registry.oauthClientList())
            #expect(ocl.client(hostname: "pgo-demo.zorgnet.test")?.status == .suspended)
            #expect(try await registry.publications(.oauthClientList).map(\.source) == ["file", "edit"])
        }
    }

    @Test("An edit that breaks the schema is refused and the list in force stays")
    func invalidEditIsRefused() async throws {
        try await withDatabase { database, _ in
            let registry = try await MedMijListRegistry.open(database: database, parser: try ListFixtures.parser())
            _ = try await registry.offer(xml: ListFixtures.bytes(.oauthClientList), kind: .oauthClientList, source: .file)
            let result = try await registry.edit(.oauthClientList) { list in
                guard case .oauthClients(var ocl) = list else { return }
                ocl.clients.append(OAuthClient(hostname: "NOT A HOSTNAME", organisationName: "X"))
                list = .oauthClients(ocl)
            }
            guard case .failure(.invalidAgainstSchema(let issues)) = result else {
                Issue.record("expected a schema refusal, got \(result)")
                return
            }
            #expect(!issues.isEmpty)
            #expect(try await registry.oauthClientList()?.sequenceNumber == 7)
            #expect(try await registry.publications(.oauthClientList).count == 1)
        }
    }

    @Test("A publication stored by another process counts on the next read")
    func picksUpOtherProcessesChanges() async throws {
        try await withDatabase { database, _ in
            let parser = try ListFixtures.parser()
            let server = try await MedMijListRegistry.open(database: database, parser: parser)
            let administrator = try await MedMijListRegistry.open(database: database, parser: parser)
            _ = try await administrator.offer(xml: ListFixtures.bytes(.whitelist), kind: .whitelist, source: .file)
            #expect(try await server.whitelist()?.contains("pgo-demo.zorgnet.test") == true)
            _ = try await administrator.edit(.whitelist) { list in
                guard case .whitelist(var whitelist) = list else { return }
                whitelist.hostnames.remove("pgo-demo.zorgnet.test")
                list = .whitelist(whitelist)
            }
            #expect(try await server.whitelist()?.contains("pgo-demo.zorgnet.test") == false)
        }
    }
}
