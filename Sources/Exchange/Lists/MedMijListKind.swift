/// The four lists the MedMij Stelselnode publishes, with the names and namespaces that identify them.
///
/// ```swift
/// let kind = MedMijListKind.providerList
/// kind.rootElement      // "Zorgaanbiederslijst"
/// kind.schemaFileName   // "MedMij_Zorgaanbiederslijst.xsd"
/// ```
public enum MedMijListKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// OAuth Client List (OCL): the PGO apps, by hostname (their OAuth client id).
    case oauthClientList
    /// Zorgaanbiederslijst (ZAL): care providers with their endpoints per data service.
    case providerList
    /// Whitelist: the hostnames of MedMij nodes allowed on the backchannel.
    case whitelist
    /// Gegevensdienstnamenlijst (GNL): display names of the data services.
    case dataServiceNameList

    /// The default namespace of the list (release2; the GNL is still release1).
    public var namespace: String {
        switch self {
        case .oauthClientList: "xmlns://afsprakenstelsel.medmij.nl/oauthclientlist/release2/"
        case .providerList: "xmlns://afsprakenstelsel.medmij.nl/zorgaanbiederslijst/release2/"
        case .whitelist: "xmlns://afsprakenstelsel.medmij.nl/whitelist/release2/"
        case .dataServiceNameList: "xmlns://afsprakenstelsel.medmij.nl/gegevensdienstnamenlijst/release1/"
        }
    }

    /// The local name of the root element.
    public var rootElement: String {
        switch self {
        case .oauthClientList: "OAuthclientlist"
        case .providerList: "Zorgaanbiederslijst"
        case .whitelist: "Whitelist"
        case .dataServiceNameList: "Gegevensdienstnamenlijst"
        }
    }

    /// The name the Stelselnode publishes the list under (and a sensible name to persist it as).
    public var listFileName: String { "MedMij_\(rootElement).xml" }

    /// The file in the schema directory that validates this list.
    public var schemaFileName: String { "MedMij_\(rootElement).xsd" }

    public var description: String {
        switch self {
        case .oauthClientList: "OAuth Client List"
        case .providerList: "Zorgaanbiederslijst"
        case .whitelist: "Whitelist"
        case .dataServiceNameList: "Gegevensdienstnamenlijst"
        }
    }

    /// The kind whose root element and namespace these are, if any.
    static func identifying(rootElement: String, namespace: String?) -> MedMijListKind? {
        allCases.first { $0.rootElement == rootElement && $0.namespace == namespace }
    }
}
