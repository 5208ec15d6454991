import Audit
import Auth
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

    init(database: GatewayDatabase, auditLog: AuditLog, configuration: GatewayConfiguration) throws {
        self.database = database
        self.auditLog = auditLog
        self.configuration = configuration
        self.repository = ResourceRepository(database: database)
        self.registry = PartyRegistry(database: database)
        self.tokens = TokenService(store: AccessTokenStore(database: database))
        guard let profiles = configuration.profilesDirectory ?? ProjectResources.profilesDirectory else {
            throw ConfigurationError.missingFile("Profiles/", purpose: "the profile definitions directory")
        }
        self.validator = try ProfileValidator.loadProjectProfiles(from: profiles)
    }

    func frontRouter(logger: Logger) -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: RequestLimitsMiddleware(maxBodySize: configuration.maxBodySize))
        router.add(middleware: AuditMiddleware(log: auditLog, channel: .front, logger: logger))
        FrontRoutes().register(on: router)
        return router
    }

    func backRouter(logger: Logger) -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: RequestLimitsMiddleware(maxBodySize: configuration.maxBodySize))
        router.add(middleware: AuditMiddleware(log: auditLog, channel: .back, logger: logger))
        router.add(middleware: ClientIdentityMiddleware(registry: registry))
        let fhir = router.group("fhir")
        let access = PatientAccess(tokens: tokens)
        MetadataRoutes(capabilityStatement: CapabilityStatementBuilder.make()).register(on: fhir)
        ValidateRoutes(validator: validator).register(on: fhir)
        SearchRoutes(repository: repository, access: access, defaultCount: configuration.defaultSearchCount).register(on: fhir)
        ResourceRoutes(repository: repository, access: access).register(on: fhir)
        return router
    }
}
