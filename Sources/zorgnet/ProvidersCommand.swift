import ArgumentParser
import Foundation
import Gateway
import Store

struct ProvidersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers",
        abstract: "Care providers this gateway collects from: endpoint settings the Zorgaanbiederslijst does not carry.",
        subcommands: [SetEndpoint.self, SetClient.self, List.self])

    struct SetEndpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-endpoint",
            abstract: "Set the trust anchors and client certificate for one provider data service.",
            discussion: """
                The URLs come from the Zorgaanbiederslijst in force. Only for a provider the list does not name \
                (a pilot, a test on loopback) give all three of --authorize-url, --token-url and --fhir-url.
                """)

        @OptionGroup var dataDirectory: DataDirectoryOption
        @Option(help: "Zorgaanbiedernaam as on the ZAL, e.g. demoziekenhuis@medmij.") var provider: String
        @Option(name: .customLong("data-service"), help: "GegevensdienstId (1 = BgZ).") var dataService: String = "1"
        @Option(help: "The provider's URA (8 digits).") var ura: String?
        @Option(help: "Name to show when the ZAL does not list the provider.") var name: String?
        @Option(name: .customLong("trust-anchors"), help: "PEM file with the CA certificates the provider's server certificate must chain to.")
        var trustAnchors: String
        @Option(name: .customLong("client-cert"), help: "PEM file with the gateway's client certificate (chain) to present.") var clientCert: String
        @Option(name: .customLong("client-key"), help: "PEM file with that certificate's private key (mode 0600).") var clientKey: String
        @Option(name: .customLong("authorize-url")) var authorizeURL: String?
        @Option(name: .customLong("token-url")) var tokenURL: String?
        @Option(name: .customLong("fhir-url")) var fhirURL: String?

        func validate() throws {
            if let ura, !(ura.count == 8 && ura.allSatisfy(\.isNumber)) { throw ValidationError("--ura must be 8 digits") }
        }

        func run() async throws {
            func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
            let setting = ProviderEndpointSetting(
                providerName: provider, dataServiceID: dataService, ura: ura, displayName: name, trustAnchorsPath: absolute(trustAnchors),
                clientCertificatePath: absolute(clientCert), clientKeyPath: absolute(clientKey), authorizationEndpoint: authorizeURL,
                tokenEndpoint: tokenURL, resourceEndpoint: fhirURL)
            try await ProviderAdministration(directory: DataDirectory(path: dataDirectory.path)).setEndpoint(setting)
            print("endpoint settings saved for \(provider), data service \(dataService)")
        }
    }

    struct SetClient: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-client", abstract: "Set this gateway's OAuth client id (its hostname on the OCL) for collecting.")
        @OptionGroup var dataDirectory: DataDirectoryOption
        @Option(name: .customLong("client-id"), help: "Hostname, e.g. pgo.zorgnet.nl.") var clientID: String
        @Option(name: .customLong("redirect-uri"), help: "Default: https://<client-id>/oauth/callback.") var redirectURI: String?

        func run() async throws {
            let setting = try await ProviderAdministration(directory: DataDirectory(path: dataDirectory.path))
                .setClient(clientID: clientID, redirectURI: redirectURI)
            print("collect client \(setting.clientID), redirect URI \(setting.redirectURI)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the endpoint settings and the collect client.")
        @OptionGroup var dataDirectory: DataDirectoryOption

        func run() async throws {
            let administration = ProviderAdministration(directory: DataDirectory(path: dataDirectory.path))
            if let client = try await administration.client() {
                print("client\t\(client.clientID)\t\(client.redirectURI)")
            } else {
                print("client\t(not set: run `zorgnet providers set-client`)")
            }
            for setting in try await administration.endpoints() {
                let urls = setting.authorizationEndpoint == nil ? "URLs from the ZAL" : "local URLs \(setting.resourceEndpoint ?? "")"
                print("\(setting.providerName)\t\(setting.dataServiceID)\t\(setting.ura.map { "URA \($0)" } ?? "-")\t\(urls)")
                print("    trust anchors \(setting.trustAnchorsPath)\n    client certificate \(setting.clientCertificatePath)")
            }
        }
    }
}
