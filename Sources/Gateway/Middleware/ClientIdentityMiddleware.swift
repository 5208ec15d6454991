import Auth
import Hummingbird
import NIOSSL
import Store

/// Maps the client certificate of a back-channel connection to a registered party.
///
/// The TLS handshake has already proven the certificate chains to a configured trust anchor; this
/// decides whether the gateway knows and trusts the party behind it. Deny by default: an unknown,
/// suspended or revoked certificate, or one whose URA or hostname does not belong to its registered
/// party, gets 403 and nothing else.
struct ClientIdentityMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let registry: PartyRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let peer = try await context.channel.nioSSL_peerCertificate().get() else {
            context.audit.update { $0.kind = .certificateRefused }
            throw GatewayError.forbidden("no client certificate was presented")
        }
        let identity: CertificateIdentity
        do {
            identity = try CertificateIdentity(derEncoded: try peer.toDERBytes())
        } catch {
            context.audit.update { $0.kind = .certificateRefused }
            throw GatewayError.forbidden("the client certificate could not be read")
        }
        context.audit.update { $0.certificateFingerprint = identity.fingerprintSHA256 }
        switch try await registry.lookup(fingerprint: identity.fingerprintSHA256, ura: identity.ura, dnsNames: identity.dnsNames) {
        case .known(let party, _):
            context.audit.update {
                $0.partyID = party.partyID
                $0.partyKind = party.kind.rawValue
            }
            var context = context
            context.caller = Caller(party: party, certificate: identity)
            return try await next(request, context)
        case .unknownCertificate:
            context.audit.update { $0.kind = .certificateRefused }
            throw GatewayError.forbidden("the client certificate is not registered with this gateway")
        case .refused(let party, let reason):
            context.audit.update {
                $0.partyID = party.partyID
                $0.partyKind = party.kind.rawValue
                $0.kind = .certificateRefused
            }
            throw GatewayError.forbidden("access refused: \(reason)")
        }
    }
}
