/// Writes a list back as MedMij XML, in the element order the project's XSDs require.
///
/// Used when an administrator changes an entry: the change becomes a new list (Volgnummer + 1) that
/// goes through the same parser, schema and Volgnummer rules as a downloaded one, so an edit can
/// never put a list in force that a download could not.
///
/// ```swift
/// var ocl = try #require(store.oauthClientList)
/// ocl.sequenceNumber += 1
/// let xml = MedMijList.oauthClients(ocl).xml()
/// ```
extension MedMijList {
    public func xml() -> [UInt8] {
        var writer = ListXMLWriter()
        writer.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        writer.line("<\(kind.rootElement) xmlns=\"\(kind.namespace)\">")
        writer.indent += 1
        writer.element("Tijdstempel", timestamp)
        writer.element("Volgnummer", String(sequenceNumber))
        switch self {
        case .oauthClients(let list): writer.write(list)
        case .providers(let list): writer.write(list)
        case .whitelist(let list): writer.write(list)
        case .dataServiceNames(let list): writer.write(list)
        }
        writer.indent -= 1
        writer.line("</\(kind.rootElement)>")
        return Array(writer.text.utf8)
    }
}

private struct ListXMLWriter {
    var text = ""
    var indent = 0

    mutating func line(_ content: String) {
        text += String(repeating: "    ", count: indent) + content + "\n"
    }

    mutating func element(_ name: String, _ value: String) {
        line("<\(name)>\(Self.escaped(value))</\(name)>")
    }

    mutating func container(_ name: String, _ body: (inout ListXMLWriter) -> Void) {
        line("<\(name)>")
        indent += 1
        body(&self)
        indent -= 1
        line("</\(name)>")
    }

    mutating func write(_ list: OAuthClientList) {
        container("OAuthclients") { writer in
            for client in list.clients {
                writer.container("OAuthclient") { writer in
                    writer.element("Hostname", client.hostname)
                    writer.element("OAuthclientOrganisatienaam", client.organisationName)
                    if !client.certificateFingerprints.isEmpty {
                        writer.container("Certificaatvingerafdrukken") { writer in
                            for fingerprint in client.certificateFingerprints {
                                writer.element("Certificaatvingerafdruk", fingerprint)
                            }
                        }
                    }
                    writer.element("Status", client.status.rawValue)
                }
            }
        }
    }

    mutating func write(_ list: ProviderList) {
        container("Zorgaanbieders") { writer in
            for provider in list.providers {
                writer.container("Zorgaanbieder") { writer in
                    writer.element("Zorgaanbiedernaam", provider.name)
                    writer.container("Gegevensdiensten") { writer in
                        for service in provider.dataServices {
                            writer.write(service)
                        }
                    }
                    if let ura = provider.ura { writer.element("URA", ura) }
                }
            }
        }
    }

    mutating func write(_ service: DataService) {
        container("Gegevensdienst") { writer in
            writer.element("GegevensdienstId", service.id)
            writer.container("AuthorizationEndpoint") {
                $0.element("AuthorizationEndpointuri", service.authorizationEndpoint.absoluteString)
            }
            writer.container("TokenEndpoint") { $0.element("TokenEndpointuri", service.tokenEndpoint.absoluteString) }
            writer.container("Systeemrollen") { writer in
                for role in service.systemRoles {
                    writer.container("Systeemrol") { writer in
                        writer.element("Systeemrolcode", role.code)
                        writer.container("ResourceEndpoint") {
                            $0.element("ResourceEndpointuri", role.resourceEndpoint.absoluteString)
                        }
                    }
                }
            }
        }
    }

    mutating func write(_ list: NodeWhitelist) {
        container("MedMijNodes") { writer in
            // Sorted: the set has no order, and a stable file makes republications comparable.
            for hostname in list.hostnames.sorted() {
                writer.container("MedMijNode") { $0.element("Hostname", hostname) }
            }
        }
    }

    mutating func write(_ list: DataServiceNameList) {
        container("Gegevensdiensten") { writer in
            for entry in list.dataServices {
                writer.container("Gegevensdienst") { writer in
                    writer.element("GegevensdienstId", entry.id)
                    writer.element("Weergavenaam", entry.displayName)
                }
            }
        }
    }

    static func escaped(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
