import Auth
import Foundation
import Hummingbird

/// `POST /oauth/token` (back channel, mutual TLS): the presenting certificate authenticates the PGO
/// app; `authorization_code` and `refresh_token` grants; RFC 6749 §5.1 responses and §5.2 errors as
/// JSON, never cached.
///
/// The response holds what MedMij's token response holds — `access_token`, `token_type`, `expires_in`,
/// `refresh_token` (not for "this time only"), `scope` — and no patient id: the patient is implied by
/// the token, never named to the app.
struct TokenRoutes: Sendable {
    let oauth: OAuthComponents

    struct TokenResponseBody: Encodable {
        let accessToken: String
        let tokenType: String
        let expiresIn: Int
        /// Left out of the JSON when nil ("this time only").
        let refreshToken: String?
        let scope: String

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token", tokenType = "token_type", expiresIn = "expires_in"
            case refreshToken = "refresh_token", scope
        }
    }

    func register(on router: Router<GatewayRequestContext>) {
        router.post("/oauth/token") { request, context in
            var request = request
            do {
                let form = try await OAuthResponses.form(&request, context: context)
                let client = try OAuthResponses.client(context, clientID: form["client_id"])
                guard let grantType = form["grant_type"] else { throw TokenRequestError.missingParameter("grant_type") }
                let granted: AuthorizationServer.TokenGrant
                switch grantType {
                case "authorization_code":
                    guard let code = form["code"] else { throw TokenRequestError.missingParameter("code") }
                    guard let redirectURI = form["redirect_uri"] else { throw TokenRequestError.missingParameter("redirect_uri") }
                    granted = try await oauth.server.exchange(code: code, redirectURI: redirectURI, client: client)
                case "refresh_token":
                    guard let refreshToken = form["refresh_token"] else { throw TokenRequestError.missingParameter("refresh_token") }
                    granted = try await oauth.server.refresh(refreshToken, scope: form["scope"], client: client)
                default:
                    throw TokenRequestError.unsupportedGrantType(grantType)
                }
                context.audit.update {
                    $0.patientID = granted.patientID
                    $0.kind = grantType == "refresh_token" ? .tokenRefresh : .tokenIssue
                    $0.detail = "\(grantType): access token issued under \(granted.grantID)"
                        + (granted.refreshToken == nil ? "" : " with a new refresh token")
                }
                return try OAuthResponses.json(
                    TokenResponseBody(
                        accessToken: granted.accessToken, tokenType: "Bearer", expiresIn: granted.expiresIn,
                        refreshToken: granted.refreshToken, scope: granted.scope))
            } catch let error as TokenRequestError {
                context.audit.update {
                    // A spent code or refresh token shown again is presumed stolen (the grant is revoked): misuse.
                    $0.kind = [.codeReused, .refreshTokenReused].contains(error) ? .tokenMisuse : .tokenIssue
                    $0.detail = "token request refused: \(error.code.rawValue), \(error.description)"
                }
                return try OAuthResponses.error(error)
            }
        }
    }
}
