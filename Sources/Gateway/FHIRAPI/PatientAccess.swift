import Auth
import Consent
import HTTPTypes
import Hummingbird
import Store

/// Turns the bearer token of a request into the one patient whose data the caller may see.
///
/// The token must be bound to the certificate on this very connection and to the party it maps to;
/// every way of failing answers the same 401, and the precise reason goes to the audit log only.
struct PatientAccess: Sendable {
    let tokens: TokenService

    /// What a valid token grants on this request. A struct rather than a bare patient id so that what
    /// the authorization server links to a token (its grant, scope, consent) can be added here without
    /// touching the routes.
    struct Grant: Sendable, Hashable {
        /// The patient the token is bound to: the only patient whose data the request can reach.
        var patientID: String
        /// The registry party of the client certificate the token was presented with.
        var partyID: String
        /// That party's OAuth client id (its hostname) when it is a PGO app; nil for any other party.
        var clientID: String?

        /// What the store may show: the patient's compartment and what it refers to.
        var scope: AccessScope { .patient(id: patientID) }

        /// Who asks, as consents name it: the PGO app by client id. Nil for a party that is no PGO app
        /// (or an app registered without a client id): no consent can name it, so nothing is permitted.
        var consentActor: ConsentActor? { clientID.map(ConsentActor.pgoApp) }
    }

    func grant(for request: Request, context: GatewayRequestContext) async throws -> Grant {
        guard let caller = context.caller else { throw GatewayError.forbidden("no client certificate was presented") }
        guard let header = request.headers[.authorization] else {
            throw GatewayError.unauthorized("patient data needs a bearer token")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw GatewayError.unauthorized("the Authorization header must be 'Bearer <token>'")
        }
        do {
            let grant = try await tokens.validate(
                String(parts[1]), presentedCertificateFingerprint: caller.certificate.fingerprintSHA256,
                partyID: caller.party.partyID)
            context.audit.update { $0.patientID = grant.patientID }
            return Grant(
                patientID: grant.patientID, partyID: grant.partyID,
                clientID: caller.party.kind == .app ? caller.party.clientID : nil)
        } catch let error as TokenService.ValidationError {
            context.audit.update { $0.detail = error.description }
            throw GatewayError.unauthorized("the bearer token is not valid for this client")
        }
    }
}
