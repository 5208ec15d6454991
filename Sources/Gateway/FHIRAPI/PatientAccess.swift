import Auth
import HTTPTypes
import Hummingbird
import Store

/// Turns the bearer token of a request into the one patient whose data the caller may see.
///
/// The token must be bound to the certificate on this very connection and to the party it maps to;
/// every way of failing answers the same 401, and the precise reason goes to the audit log only.
struct PatientAccess: Sendable {
    let tokens: TokenService

    func scope(for request: Request, context: GatewayRequestContext) async throws -> AccessScope {
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
            return .patient(id: grant.patientID)
        } catch let error as TokenService.ValidationError {
            context.audit.update { $0.detail = error.description }
            throw GatewayError.unauthorized("the bearer token is not valid for this client")
        }
    }
}
