import Foundation

/// Turns a schema-valid list into Swift values. The schema has done the checking; what is left
/// here is what XSD 1.0 cannot say (bare Whitelist hostnames, 64-bit Volgnummer range).
enum ListMapping {
    static func map(_ root: ListNode, as kind: MedMijListKind) throws(MedMijListError) -> MedMijList {
        let timestamp = try root.text(of: "Tijdstempel")
        let sequenceNumber = try sequenceNumber(root.text(of: "Volgnummer"))
        switch kind {
        case .oauthClientList:
            let clients = try root.child(named: "OAuthclients").children(named: "OAuthclient").map(oauthClient)
            return .oauthClients(OAuthClientList(timestamp: timestamp, sequenceNumber: sequenceNumber, clients: clients))
        case .providerList:
            let providers = try root.child(named: "Zorgaanbieders").children(named: "Zorgaanbieder").map(provider)
            return .providers(ProviderList(timestamp: timestamp, sequenceNumber: sequenceNumber, providers: providers))
        case .whitelist:
            var hostnames: Set<String> = []
            for node in try root.child(named: "MedMijNodes").children(named: "MedMijNode") {
                hostnames.insert(try whitelistHostname(node))
            }
            return .whitelist(NodeWhitelist(timestamp: timestamp, sequenceNumber: sequenceNumber, hostnames: hostnames))
        case .dataServiceNameList:
            var entries: [DataServiceNameList.Entry] = []
            for node in try root.child(named: "Gegevensdiensten").children(named: "Gegevensdienst") {
                entries.append(.init(id: try node.text(of: "GegevensdienstId"), displayName: try node.text(of: "Weergavenaam")))
            }
            return .dataServiceNames(DataServiceNameList(timestamp: timestamp, sequenceNumber: sequenceNumber, dataServices: entries))
        }
    }

    /// xs:positiveInteger allows a leading "+" and zeros, and is unbounded.
    static func sequenceNumber(_ text: String) throws(MedMijListError) -> UInt64 {
        let digits = text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard let value = UInt64(digits), value > 0 else { throw .sequenceNumberOutOfRange(text) }
        return value
    }

    private static func oauthClient(_ node: ListNode) throws(MedMijListError) -> OAuthClient {
        let fingerprints = node.children(named: "Certificaatvingerafdrukken").first?
            .children(named: "Certificaatvingerafdruk").map(\.ownText) ?? []
        var status = OAuthClient.Status.active
        if let statusNode = node.children(named: "Status").first {
            guard let parsed = OAuthClient.Status(rawValue: statusNode.ownText) else {
                throw statusNode.issue("unknown status '\(statusNode.ownText)'")
            }
            status = parsed
        }
        return OAuthClient(
            hostname: try node.text(of: "Hostname"),
            organisationName: try node.text(of: "OAuthclientOrganisatienaam"),
            certificateFingerprints: fingerprints,
            status: status
        )
    }

    private static func provider(_ node: ListNode) throws(MedMijListError) -> Provider {
        var services: [DataService] = []
        for service in try node.child(named: "Gegevensdiensten").children(named: "Gegevensdienst") {
            var roles: [SystemRole] = []
            for role in try service.child(named: "Systeemrollen").children(named: "Systeemrol") {
                roles.append(SystemRole(
                    code: try role.text(of: "Systeemrolcode"),
                    resourceEndpoint: try url(role.child(named: "ResourceEndpoint").child(named: "ResourceEndpointuri"))
                ))
            }
            services.append(DataService(
                id: try service.text(of: "GegevensdienstId"),
                authorizationEndpoint: try url(service.child(named: "AuthorizationEndpoint").child(named: "AuthorizationEndpointuri")),
                tokenEndpoint: try url(service.child(named: "TokenEndpoint").child(named: "TokenEndpointuri")),
                systemRoles: roles
            ))
        }
        return Provider(
            name: try node.text(of: "Zorgaanbiedernaam"),
            ura: node.children(named: "URA").first?.ownText,
            dataServices: services
        )
    }

    private static func url(_ node: ListNode) throws(MedMijListError) -> URL {
        guard let url = URL(string: node.ownText), url.host != nil else { throw node.issue("'\(node.ownText)' is not a URL") }
        return url
    }

    /// MedMijNode holds its hostname either as text or in a Hostname child (see the XSD). The
    /// schema checks the wrapped form; mixed content cannot carry a pattern, so the bare form is
    /// checked here, with the same pattern, and refused as a schema issue with its line.
    private static func whitelistHostname(_ node: ListNode) throws(MedMijListError) -> String {
        let bare = node.ownText
        let wrapped = node.children(named: "Hostname").first?.ownText
        switch (bare.isEmpty, wrapped) {
        case (true, let hostname?):
            return hostname
        case (false, nil):
            guard isMedMijHostname(bare) else {
                throw node.issue("the value '\(bare)' is not accepted by the Hostname pattern")
            }
            return bare
        case (false, .some):
            throw node.issue("holds both text and a Hostname element")
        case (true, nil):
            throw node.issue("holds no hostname")
        }
    }

    /// `(([a-z0-9])([a-z0-9-])*(\.))+([a-z0-9])([a-z0-9-])*([a-z0-9])`, written out by hand so
    /// no regex engine can backtrack on hostile input.
    static func isMedMijHostname(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let last = labels.last else { return false }
        func isAlnum(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
        func isLabelByte(_ byte: UInt8) -> Bool { isAlnum(byte) || byte == UInt8(ascii: "-") }
        for label in labels.dropLast() {
            let bytes = Array(label.utf8)
            guard let first = bytes.first, isAlnum(first), bytes.allSatisfy(isLabelByte) else { return false }
        }
        let tail = Array(last.utf8)
        guard tail.count >= 2, let first = tail.first, let end = tail.last else { return false }
        return isAlnum(first) && isAlnum(end) && tail.allSatisfy(isLabelByte)
    }
}
