import Audit
import Auth
import Consent
import FHIR
import Hummingbird
import Logging
import PZCImport
import Store
import Zib

/// The gateway's parts wired together, and the two routers built from them.
struct GatewayServices: Sendable {
    let database: GatewayDatabase
    let auditLog: AuditLog
    let configuration: GatewayConfiguration
    let repository: ResourceRepository
    let registry: PartyRegistry
    let tokens: TokenService
    let validator: ProfileValidator
    let oauth: OAuthComponents
    let substitutes: MeasurementSubstitutes

    init(
        database: GatewayDatabase, auditLog: AuditLog, configuration: GatewayConfiguration,
        substitutes: MeasurementSubstitutes = .none
    ) throws {
        self.database = database
        self.substitutes = substitutes
        self.auditLog = auditLog
        self.configuration = configuration
        self.repository = ResourceRepository(database: database)
        self.registry = PartyRegistry(database: database)
        self.tokens = TokenService(store: AccessTokenStore(database: database))
        guard let profiles = configuration.profilesDirectory ?? ProjectResources.profilesDirectory else {
            throw ConfigurationError.missingFile("Profiles/", purpose: "the profile definitions directory")
        }
        self.validator = try ProfileValidator.loadProjectProfiles(from: profiles)
        self.oauth = try OAuthComponents(database: database, tokens: tokens, registry: registry, configuration: configuration)
    }

    func frontRouter(logger: Logger, capacity: RequestCapacity) -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: LoadSheddingMiddleware(capacity: capacity))
        router.add(middleware: RequestLimitsMiddleware(maxBodySize: configuration.maxBodySize))
        router.add(middleware: AuditMiddleware(log: auditLog, channel: .front, logger: logger))
        FrontRoutes(oauth: oauth).register(on: router)
        PortalRoutes(services: self).register(on: router)
        let collect = CollectService(
            database: database, dataDirectory: configuration.dataDirectory, audit: { [auditLog] in _ = try await auditLog.append($0) })
        CollectRoutes(sessions: oauth.sessions, service: collect).register(on: router)
        ShareRoutes(sessions: oauth.sessions, service: ShareService(collect: collect)).register(on: router)
        CareRoutes(sessions: oauth.sessions, repository: repository, consents: oauth.consents, pzcs: PZCRecords(database: database))
            .register(on: router)
        return router
    }

    func backRouter(logger: Logger, capacity: RequestCapacity) -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: LoadSheddingMiddleware(capacity: capacity))
        router.add(middleware: RequestLimitsMiddleware(maxBodySize: configuration.maxBodySize))
        router.add(middleware: OAuthQueryCredentialsMiddleware())
        router.add(middleware: AuditMiddleware(log: substitutes.auditSink ?? auditLog, channel: .back, logger: logger))
        router.add(middleware: BSNInURLMiddleware())
        router.add(middleware: ClientIdentityMiddleware(registry: registry))
        TokenRoutes(oauth: oauth).register(on: router)
        RevokeRoutes(oauth: oauth).register(on: router)
        let fhir = router.group("fhir")
        let policy = ConsentPolicy(
            access: PatientAccess(tokens: tokens), consents: ConsentRepository(database: database), lookup: substitutes.consentSource)
        MetadataRoutes(capabilityStatement: CapabilityStatementBuilder.make()).register(on: fhir)
        ValidateRoutes(validator: validator).register(on: fhir)
        SearchRoutes(repository: repository, policy: policy, defaultCount: configuration.defaultSearchCount).register(on: fhir)
        ResourceRoutes(repository: repository, policy: policy).register(on: fhir)
        CreateRoutes(repository: repository, access: policy.access, validator: validator,
                     authorization: ConsentWriteAuthorization(consents: policy.consents)).register(on: fhir)
        PushRoutes(repository: repository, validator: validator, policy: policy).register(on: fhir)
        AuditRoutes(log: auditLog, publicKeyFile: DataDirectory(path: configuration.dataDirectory).auditSigningKeyPath + ".pub")
            .register(on: router.group("audit"))
        return router
    }
}
