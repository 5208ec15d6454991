import Auth
import Foundation
import Hummingbird

/// `POST /oauth/revoke` (RFC 7009, back channel, mutual TLS). Always 200 for a token that is unknown
/// or not the caller's. Revoking a refresh token ends its grant (every token under it) and records the
/// patient's consent as revoked: that is what withdrawing a long-term consent through the app means.
struct RevokeRoutes: Sendable {
    let oauth: OAuthComponents

    func register(on router: Router<GatewayRequestContext>) {
        router.post("/oauth/revoke") { request, context in
            var request = request
            do {
                let form = try await OAuthResponses.form(&request, context: context)
                let client = try OAuthResponses.client(context, clientID: form["client_id"])
                guard let token = form["token"] else { throw TokenRequestError.missingParameter("token") }
                let now = Date()
                switch try await oauth.server.revoke(token, client: client, now: now) {
                case .grantRevoked(let grantID, let consentID, let patientID):
                    if let consent = try await oauth.consents.latest(id: consentID), consent.status == .active {
                        try await oauth.consents.record(consent.revoked(at: now))
                    }
                    context.audit.update {
                        $0.patientID = patientID
                        $0.detail = "refresh token revoked: grant \(grantID) and consent \(consentID) revoked"
                    }
                case .accessTokenRevoked:
                    context.audit.update { $0.detail = "access token revoked" }
                case .nothing:
                    context.audit.update { $0.detail = "revocation of an unknown token: nothing to do" }
                }
                return Response(status: .ok, headers: OAuthResponses.noStoreHeaders)
            } catch let error as TokenRequestError {
                context.audit.update { $0.detail = "revocation refused: \(error.code.rawValue), \(error.description)" }
                return try OAuthResponses.error(error)
            }
        }
    }
}
