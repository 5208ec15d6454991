import ArgumentParser
import Foundation
import Gateway
import Store

struct PartyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "party",
        abstract: "The parties that may use the back channel, identified by their certificates.",
        subcommands: [Register.self, Suspend.self, Activate.self, RevokeCertificate.self, List.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a party with its certificate (PEM).",
            discussion: "An organisation's certificate must carry its URA (UZI server certificate); an app's must carry its hostname.")

        @OptionGroup var dataDirectory: DataDirectoryOption
        @Option(help: "PEM file with the party's client certificate.") var cert: String
        @Option(help: "Party id, e.g. zkh-oost.") var id: String
        @Option(help: "organization, app, auditor or operator.") var kind: String
        @Option(help: "Display name.") var name: String
        @Option(help: "URA of an organisation.") var ura: String?
        @Option(name: .customLong("client-id"), help: "OAuth client id (hostname) of an app.") var clientID: String?
        @Option(
            name: .customLong("redirect-uri"),
            help: "An app's exact redirect URI (repeatable); replaces the MedMij rule https://<client-id>/… for this app.")
        var redirectURIs: [String] = []

        func run() async throws {
            guard let kind = Party.Kind(rawValue: kind) else {
                throw ValidationError("--kind must be one of \(Party.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !redirectURIs.isEmpty, kind != .app { throw ValidationError("--redirect-uri is for apps only") }
            let directory = DataDirectory(path: dataDirectory.path)
            let identity = try await PartyAdministration(directory: directory).register(
                certificateFile: cert, partyID: id, kind: kind, name: name, ura: ura, clientID: clientID)
            print("registered \(id) with certificate \(identity.fingerprintSHA256)")
            if !redirectURIs.isEmpty {
                try await RedirectURIAdministration(directory: directory).set(redirectURIs, partyID: id)
                print("redirect URIs of \(id): \(redirectURIs.joined(separator: " "))")
            }
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend a party: its connections get 403 from the next request on.")
        @OptionGroup var dataDirectory: DataDirectoryOption
        @Option(help: "Party id.") var id: String

        func run() async throws {
            try await PartyAdministration(directory: DataDirectory(path: dataDirectory.path)).setStatus(partyID: id, .suspended)
            print("suspended \(id)")
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reactivate a suspended party.")
        @OptionGroup var dataDirectory: DataDirectoryOption
        @Option(help: "Party id.") var id: String

        func run() async throws {
            try await PartyAdministration(directory: DataDirectory(path: dataDirectory.path)).setStatus(partyID: id, .active)
            print("activated \(id)")
        }
    }

    struct RevokeCertificate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-certificate", abstract: "Revoke one certificate of a party (SHA-256 fingerprint, hex).")
        @OptionGroup var dataDirectory: DataDirectoryOption
        @Option(help: "SHA-256 fingerprint of the certificate, lowercase hex.") var fingerprint: String

        func run() async throws {
            try await PartyAdministration(directory: DataDirectory(path: dataDirectory.path))
                .setCertificateStatus(fingerprint: fingerprint, .revoked)
            print("revoked certificate \(fingerprint)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered parties and their certificates.")
        @OptionGroup var dataDirectory: DataDirectoryOption

        func run() async throws {
            for (party, certificates) in try await PartyAdministration(directory: DataDirectory(path: dataDirectory.path)).parties() {
                let identifier = party.ura.map { "URA \($0)" } ?? party.clientID.map { "client \($0)" } ?? ""
                print("\(party.partyID)\t\(party.kind.rawValue)\t\(party.status.rawValue)\t\(party.displayName)\t\(identifier)")
                for certificate in certificates {
                    print("    \(certificate.fingerprintSHA256)\t\(certificate.status.rawValue)\tvalid until \(certificate.notValidAfter)")
                }
            }
        }
    }
}
