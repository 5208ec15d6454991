import Auth
import Hummingbird
import NIOSSL
import Store
import Synchronization

/// Maps the client certificate of a back-channel connection to a registered party.
///
/// The TLS handshake has already proven the certificate chains to a configured trust anchor; this
/// decides whether the gateway knows and trusts the party behind it. Deny by default: an unknown,
/// suspended or revoked certificate, or one whose URA or hostname does not belong to its registered
/// party, gets 403 and nothing else.
struct ClientIdentityMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let registry: PartyRegistry
    /// Identities of certificates already read, so a connection's certificate is parsed once rather than
    /// on each of its requests. The registry is still asked on every request.
    let identities = CertificateIdentityCache()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let peer = try await context.channel.nioSSL_peerCertificate().get() else {
            context.audit.update { $0.kind = .certificateRefused }
            throw GatewayError.forbidden("no client certificate was presented")
        }
        let identity: CertificateIdentity
        do {
            identity = try identities.identity(derEncoded: try peer.toDERBytes())
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

/// Parsed certificate identities by the certificate's exact DER bytes.
///
/// Safe to reuse: a ``CertificateIdentity`` is a function of the DER bytes alone (the fingerprint is
/// their SHA-256, every other field is read from them), and the key is the full byte string, not a
/// hash of it. Nothing here decides trust: the TLS handshake verified the chain of this connection, and
/// the party registry is asked on every request, so a suspension or revocation counts at once. Bytes
/// that do not parse are not remembered; they fail again the same way. Bounded: emptied when full.
final class CertificateIdentityCache: Sendable {
    static let limit = 1024

    private let entries = Mutex<[[UInt8]: CertificateIdentity]>([:])

    func identity(derEncoded der: [UInt8]) throws(CertificateIdentityError) -> CertificateIdentity {
        if let known = entries.withLock({ $0[der] }) { return known }
        let identity = try CertificateIdentity(derEncoded: der)
        entries.withLock { entries in
            if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
            entries[der] = identity
        }
        return identity
    }
}
