import Foundation

/// The OAuth Client List: which PGO apps may ask us for tokens.
///
/// ```swift
/// if let client = ocl.client(hostname: "pgo-demo.zorgnet.test"), client.status == .active {
///     showConsent(to: client.organisationName)
/// }
/// ```
public struct OAuthClientList: Sendable, Hashable {
    /// Tijdstempel as written (xs:dateTime lexical form; see ``MedMijList/timestampDate``).
    public var timestamp: String
    /// Volgnummer: raised by one on every republication.
    public var sequenceNumber: UInt64
    public var clients: [OAuthClient]

    public init(timestamp: String, sequenceNumber: UInt64, clients: [OAuthClient]) {
        self.timestamp = timestamp
        self.sequenceNumber = sequenceNumber
        self.clients = clients
    }

    /// The client whose hostname (= OAuth client id) this is; hostnames are lowercase on the list.
    public func client(hostname: String) -> OAuthClient? {
        let wanted = hostname.lowercased()
        return clients.first { $0.hostname == wanted }
    }
}

/// One PGO app on the OCL.
public struct OAuthClient: Sendable, Hashable {
    /// Project extension `Status`; an entry without one is active.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case active = "Actief"
        case suspended = "Geschorst"
        case revoked = "Ingetrokken"
    }

    /// Hostname, which MedMij uses as the OAuth client id.
    public var hostname: String
    /// OAuthclientOrganisatienaam, shown to the patient on the consent screen.
    public var organisationName: String
    /// Project extension: lowercase hex SHA-256 fingerprints of the app's backchannel certificates.
    public var certificateFingerprints: [String]
    public var status: Status

    public init(hostname: String, organisationName: String, certificateFingerprints: [String] = [], status: Status = .active) {
        self.hostname = hostname
        self.organisationName = organisationName
        self.certificateFingerprints = certificateFingerprints
        self.status = status
    }
}

/// The Zorgaanbiederslijst: care providers and where to reach each of their data services.
///
/// ```swift
/// let service = zal.provider(named: "demoziekenhuis@medmij")?.dataService(id: "4")
/// let fhirBase = service?.systemRoles.first { $0.code == "LAB-1.0.0-LRB-FHIR" }?.resourceEndpoint
/// ```
public struct ProviderList: Sendable, Hashable {
    public var timestamp: String
    public var sequenceNumber: UInt64
    public var providers: [Provider]

    public init(timestamp: String, sequenceNumber: UInt64, providers: [Provider]) {
        self.timestamp = timestamp
        self.sequenceNumber = sequenceNumber
        self.providers = providers
    }

    /// The provider with this Zorgaanbiedernaam (unique on a valid list).
    public func provider(named name: String) -> Provider? { providers.first { $0.name == name } }
}

/// One Zorgaanbieder on the ZAL.
public struct Provider: Sendable, Hashable {
    /// Zorgaanbiedernaam, e.g. `demoziekenhuis@medmij`.
    public var name: String
    /// Project extension: URA (UZI Register Abonneenummer), 8 digits, when the list carries it.
    public var ura: String?
    public var dataServices: [DataService]

    public init(name: String, ura: String? = nil, dataServices: [DataService]) {
        self.name = name
        self.ura = ura
        self.dataServices = dataServices
    }

    public func dataService(id: String) -> DataService? { dataServices.first { $0.id == id } }
}

/// One Gegevensdienst a provider offers, with its OAuth endpoints.
public struct DataService: Sendable, Hashable {
    /// GegevensdienstId, e.g. `4`; its name is on the GNL.
    public var id: String
    /// Frontchannel: no port, no query, no fragment.
    public var authorizationEndpoint: URL
    /// Backchannel (mutual TLS); may carry a port.
    public var tokenEndpoint: URL
    public var systemRoles: [SystemRole]

    public init(id: String, authorizationEndpoint: URL, tokenEndpoint: URL, systemRoles: [SystemRole]) {
        self.id = id
        self.authorizationEndpoint = authorizationEndpoint
        self.tokenEndpoint = tokenEndpoint
        self.systemRoles = systemRoles
    }
}

/// A Systeemrol of a data service and the resource endpoint that serves it.
public struct SystemRole: Sendable, Hashable {
    /// Systeemrolcode, e.g. `MM-1.0.0-BZB-FHIR`.
    public var code: String
    public var resourceEndpoint: URL

    public init(code: String, resourceEndpoint: URL) {
        self.code = code
        self.resourceEndpoint = resourceEndpoint
    }
}

/// The Whitelist: hostnames allowed as backchannel peers.
///
/// ```swift
/// guard whitelist.contains("demoziekenhuis.zorgnet.test") else { throw Refusal.notWhitelisted }
/// ```
public struct NodeWhitelist: Sendable, Hashable {
    public var timestamp: String
    public var sequenceNumber: UInt64
    /// Lowercase hostnames; a set because order and repetition carry no meaning.
    public var hostnames: Set<String>

    public init(timestamp: String, sequenceNumber: UInt64, hostnames: Set<String>) {
        self.timestamp = timestamp
        self.sequenceNumber = sequenceNumber
        self.hostnames = hostnames
    }

    /// Whether `hostname` is on the list; DNS names compare case-insensitively.
    public func contains(_ hostname: String) -> Bool { hostnames.contains(hostname.lowercased()) }
}

/// The Gegevensdienstnamenlijst: what to call each data service on screen.
///
/// ```swift
/// gnl.displayName(for: "4")   // "Laboratoriumresultaten"
/// ```
public struct DataServiceNameList: Sendable, Hashable {
    /// One GNL entry.
    public struct Entry: Sendable, Hashable {
        public var id: String
        /// Weergavenaam.
        public var displayName: String

        public init(id: String, displayName: String) {
            self.id = id
            self.displayName = displayName
        }
    }

    public var timestamp: String
    public var sequenceNumber: UInt64
    public var dataServices: [Entry]

    public init(timestamp: String, sequenceNumber: UInt64, dataServices: [Entry]) {
        self.timestamp = timestamp
        self.sequenceNumber = sequenceNumber
        self.dataServices = dataServices
    }

    public func displayName(for id: String) -> String? { dataServices.first { $0.id == id }?.displayName }
}

/// Any one of the four lists, as returned by ``MedMijListParser`` and held by ``MedMijListStore``.
public enum MedMijList: Sendable, Hashable {
    case oauthClients(OAuthClientList)
    case providers(ProviderList)
    case whitelist(NodeWhitelist)
    case dataServiceNames(DataServiceNameList)

    public var kind: MedMijListKind {
        switch self {
        case .oauthClients: .oauthClientList
        case .providers: .providerList
        case .whitelist: .whitelist
        case .dataServiceNames: .dataServiceNameList
        }
    }

    public var sequenceNumber: UInt64 {
        switch self {
        case .oauthClients(let list): list.sequenceNumber
        case .providers(let list): list.sequenceNumber
        case .whitelist(let list): list.sequenceNumber
        case .dataServiceNames(let list): list.sequenceNumber
        }
    }

    public var timestamp: String {
        switch self {
        case .oauthClients(let list): list.timestamp
        case .providers(let list): list.timestamp
        case .whitelist(let list): list.timestamp
        case .dataServiceNames(let list): list.timestamp
        }
    }

    /// Tijdstempel as a Date when it carries a zone; xs:dateTime allows none, and then guessing one
    /// would be wrong, so this is nil and the raw ``timestamp`` is all there is.
    public var timestampDate: Date? {
        let plain = Date.ISO8601FormatStyle()
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return (try? plain.parse(timestamp)) ?? (try? fractional.parse(timestamp))
    }
}
