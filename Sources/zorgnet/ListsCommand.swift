import ArgumentParser
import Exchange
import Foundation
import Gateway

extension MedMijListKind: ExpressibleByArgument {
    /// The short names operators use: ocl, zal, whitelist, gnl.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "ocl": self = .oauthClientList
        case "zal": self = .providerList
        case "whitelist": self = .whitelist
        case "gnl": self = .dataServiceNameList
        default: return nil
        }
    }

    public static var allValueStrings: [String] { ["ocl", "zal", "whitelist", "gnl"] }
}

extension OAuthClient.Status: ExpressibleByArgument {}

struct ListsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lists",
        abstract: "The MedMij lists: PGO apps (OCL), providers (ZAL), the node whitelist and data service names (GNL).",
        discussion: """
            Every change is a new publication (Volgnummer + 1), validated against Schemas/medmij like a \
            downloaded list; a refused list leaves the one in force. Every attempt is audited.
            """,
        subcommands: [Load.self, Show.self, SetClient.self, ClientStatus.self, RemoveClient.self, ProviderURA.self,
                      RemoveProvider.self, AddNode.self, RemoveNode.self])

    struct Common: ParsableArguments {
        @OptionGroup var dataDirectory: DataDirectoryOption
        @Option(help: "Directory with the MedMij list XSDs (default: Schemas/medmij of the checkout).") var schemas: String?

        var administration: ListAdministration {
            ListAdministration(directory: DataDirectory(path: dataDirectory.path), schemaDirectory: schemas)
        }
    }

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load a published list file (XML).")
        @OptionGroup var common: Common
        @Argument(help: "ocl, zal, whitelist or gnl.") var kind: MedMijListKind
        @Argument(help: "The list file.") var file: String

        func run() async throws {
            switch try await common.administration.load(kind, file: file) {
            case .accepted(let number, let replacing):
                print("\(kind) Volgnummer \(number) in force" + (replacing.map { " (was \($0))" } ?? ""))
            case .unchanged(let number):
                print("\(kind) Volgnummer \(number) already in force; nothing changed")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the list in force and its stored publications.")
        @OptionGroup var common: Common
        @Argument(help: "ocl, zal, whitelist or gnl.") var kind: MedMijListKind

        func run() async throws {
            let (list, publications) = try await common.administration.show(kind)
            guard let list else {
                print("no \(kind) in force")
                return
            }
            print("\(kind) Volgnummer \(list.sequenceNumber), Tijdstempel \(list.timestamp)")
            switch list {
            case .oauthClients(let ocl):
                for client in ocl.clients {
                    print("  \(client.hostname)\t\(client.status.rawValue)\t\(client.organisationName)\t\(client.certificateFingerprints.count) fingerprint(s)")
                }
            case .providers(let zal):
                for provider in zal.providers {
                    let services = provider.dataServices.map(\.id).joined(separator: ",")
                    print("  \(provider.name)\tURA \(provider.ura ?? "-")\tdata services \(services)")
                }
            case .whitelist(let whitelist):
                for hostname in whitelist.hostnames.sorted() { print("  \(hostname)") }
            case .dataServiceNames(let gnl):
                for entry in gnl.dataServices { print("  \(entry.id)\t\(entry.displayName)") }
            }
            print("publications: " + publications.map { "\($0.sequenceNumber) (\($0.source), \($0.acceptedAt))" }.joined(separator: ", "))
        }
    }

    struct SetClient: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-client", abstract: "Add or replace a PGO app on the OCL.")
        @OptionGroup var common: Common
        @Option(help: "Hostname = OAuth client id.") var hostname: String
        @Option(help: "Organisation name shown to patients.") var name: String
        @Option(help: "SHA-256 fingerprint (lowercase hex) of a certificate the app presents; repeatable.") var fingerprint: [String] = []
        @Option(help: "Actief, Geschorst or Ingetrokken.") var status: OAuthClient.Status = .active

        func run() async throws {
            try await common.administration.setClient(
                OAuthClient(hostname: hostname.lowercased(), organisationName: name, certificateFingerprints: fingerprint, status: status))
            print("\(hostname) on the OCL as \(status.rawValue)")
        }
    }

    struct ClientStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "client-status", abstract: "Set a PGO app's status on the OCL (its party follows).")
        @OptionGroup var common: Common
        @Argument(help: "Hostname = OAuth client id.") var hostname: String
        @Argument(help: "Actief, Geschorst or Ingetrokken.") var status: OAuthClient.Status

        func run() async throws {
            try await common.administration.setClientStatus(hostname: hostname.lowercased(), status)
            print("\(hostname) is \(status.rawValue)")
        }
    }

    struct RemoveClient: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-client", abstract: "Remove a PGO app from the OCL.")
        @OptionGroup var common: Common
        @Argument(help: "Hostname = OAuth client id.") var hostname: String

        func run() async throws {
            try await common.administration.removeClient(hostname: hostname.lowercased())
            print("\(hostname) removed from the OCL")
        }
    }

    struct ProviderURA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "provider-ura", abstract: "Set a provider's URA on the ZAL.")
        @OptionGroup var common: Common
        @Argument(help: "Zorgaanbiedernaam, e.g. demoziekenhuis@medmij.") var name: String
        @Argument(help: "URA, 8 digits.") var ura: String

        func run() async throws {
            try await common.administration.setProviderURA(name: name, ura: ura)
            print("\(name) has URA \(ura)")
        }
    }

    struct RemoveProvider: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-provider", abstract: "Remove a provider from the ZAL.")
        @OptionGroup var common: Common
        @Argument(help: "Zorgaanbiedernaam.") var name: String

        func run() async throws {
            try await common.administration.removeProvider(name: name)
            print("\(name) removed from the ZAL")
        }
    }

    struct AddNode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-node", abstract: "Add a hostname to the whitelist.")
        @OptionGroup var common: Common
        @Argument(help: "Hostname.") var hostname: String

        func run() async throws {
            try await common.administration.addNode(hostname: hostname)
            print("\(hostname) on the whitelist")
        }
    }

    struct RemoveNode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-node", abstract: "Remove a hostname from the whitelist.")
        @OptionGroup var common: Common
        @Argument(help: "Hostname.") var hostname: String

        func run() async throws {
            try await common.administration.removeNode(hostname: hostname)
            print("\(hostname) removed from the whitelist")
        }
    }
}
