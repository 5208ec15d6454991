import Auth
import Consent
import Exchange
import Foundation
import Store

/// The parts of the MedMij authorization flow, built once per server: sessions, login providers,
/// the second factor, the authorization server and the consent store it records into.
struct OAuthComponents: Sendable {
    let sessions: SessionManager
    /// Empty unless the stand-ins are enabled (`--demo` or `loginStandIns`): then the login page says
    /// no login method is configured.
    let loginProviders: [any LoginProvider]
    let secondFactor: TOTPSecondFactor
    let server: AuthorizationServer
    let consents: ConsentRepository
    let registry: PartyRegistry
    /// The OAuth Client List in force names the app on the consent screen.
    let lists: MedMijListLookup
    /// The scope PGO apps ask for: this gateway's MedMij provider name.
    let providerName: String

    init(database: GatewayDatabase, tokens: TokenService, registry: PartyRegistry, configuration: GatewayConfiguration) throws {
        sessions = SessionManager(
            store: FrontSessionStore(database: database), idleTimeoutSeconds: configuration.sessionIdleTimeoutSeconds,
            lifetimeSeconds: configuration.sessionLifetimeSeconds)
        loginProviders =
            configuration.loginStandIns
            ? [DigiDStandIn(pzcs: PZCRecords(database: database)), UZIStandIn(directory: ProfessionalDirectory(database: database))]
            : []
        let keyFile = (configuration.dataDirectory as NSString).appendingPathComponent(SecretSealer.defaultKeyFileName)
        secondFactor = TOTPSecondFactor(accounts: LoginAccountStore(database: database), sealer: try SecretSealer.loadOrCreate(keyFile: keyFile))
        consents = ConsentRepository(database: database)
        server = AuthorizationServer(grants: OAuthGrantStore(database: database), tokens: tokens, consents: ConsentRepositoryCheck(consents: consents))
        self.registry = registry
        lists = MedMijListLookup(database: database)
        providerName = configuration.medMijProviderName
    }

    func provider(id: String) -> (any LoginProvider)? {
        loginProviders.first { $0.id == id }
    }
}

/// Answers the authorization server's question from the consent store: the latest version of the
/// grant's consent must be active and within its validity.
struct ConsentRepositoryCheck: GrantConsentCheck {
    let consents: ConsentRepository

    func isInForce(consentID: String, at date: Date) async throws -> Bool {
        try await consents.latest(id: consentID)?.isInForce(at: date) ?? false
    }
}

/// The consent a PGO app receives for MedMij BgZ collection: every BgZ section (with the care
/// providers and organisations the BgZ names), collect only, for that one app.
enum BgZConsent {
    /// Documents are no BgZ section; self-measurements are covered as vital signs.
    static let categories: [DataCategory] = DataCategory.allCases.filter { ![.documents, .selfMeasurements, .everything].contains($0) }

    static func record(id: String, patientID: String, clientID: String, at date: Date, end: Date?) -> ConsentRecord {
        ConsentRecord(
            id: id, patientID: patientID, recordedAt: date, validity: ConsentPeriod(start: date, end: end),
            root: Provision(.permit, actors: [.pgoApp(clientID)], actions: [.collect], categories: categories))
    }
}

/// What a scope asks of this gateway as a provider. Collecting (MedMij Verzamelen, 2.x) is the
/// provider name alone; sharing (Delen) is `<provider name>~<GegevensdienstId>` with exactly one
/// combination (medmij.md §2.1), and the only data service this gateway receives is the patient's
/// self-measurements ("Meetwaarden vitale functies", GNL id 5). Any other scope is refused.
enum RequestedScope: Sendable, Hashable {
    case collect
    case shareSelfMeasurements

    init?(_ scope: String, providerName: String) {
        if MedMijScope.accepts(scope, providerName: providerName) {
            self = .collect
        } else if scope == providerName + "~" + ProviderEndpoints.selfMeasurementsDataServiceID {
            self = .shareSelfMeasurements
        } else {
            return nil
        }
    }
}

/// The consent a PGO app receives to send the patient's self-measurements into the record (MedMij
/// Delen, the "bevestigingsverklaring"): `share` only, self-measurements and vital signs only, for
/// that one app. It lets the app write nothing else and read nothing at all.
enum ShareConsent {
    static let categories: [DataCategory] = [.selfMeasurements, .vitalSigns]

    static func record(id: String, patientID: String, clientID: String, at date: Date, end: Date?) -> ConsentRecord {
        ConsentRecord(
            id: id, patientID: patientID, recordedAt: date, validity: ConsentPeriod(start: date, end: end),
            root: Provision(.permit, actors: [.pgoApp(clientID)], actions: [.share], categories: categories))
    }
}
