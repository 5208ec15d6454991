/// The error codes of RFC 6749 (§4.1.2.1 authorization endpoint, §5.2 token endpoint) and RFC 7009.
public enum OAuthErrorCode: String, Sendable, Hashable, CaseIterable {
    case invalidRequest = "invalid_request"
    case invalidClient = "invalid_client"
    case invalidGrant = "invalid_grant"
    case unauthorizedClient = "unauthorized_client"
    case unsupportedGrantType = "unsupported_grant_type"
    case unsupportedResponseType = "unsupported_response_type"
    case invalidScope = "invalid_scope"
    case accessDenied = "access_denied"
    case serverError = "server_error"
    case unsupportedTokenType = "unsupported_token_type"
}

/// Why a token or revocation request was refused. Each case says what was wrong; ``code`` is the
/// RFC 6749 error the client receives and ``description`` its `error_description` (never a token or
/// code value).
public enum TokenRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingParameter(String)
    case repeatedParameter(String)
    case unsupportedMediaType(String)
    case malformedBody
    case unsupportedGrantType(String)
    /// The certificate on the connection does not belong to a PGO app.
    case clientNotAnApp
    /// `client_id` names another client than the certificate's.
    case clientIDMismatch
    case unknownCode
    case codeExpired
    /// The code was presented before: the tokens of its first use are revoked.
    case codeReused
    case codeIssuedToAnotherClient
    case redirectURIMismatch
    case unknownRefreshToken
    case refreshTokenExpired
    /// The refresh token was used before: the whole grant is revoked.
    case refreshTokenReused
    case refreshTokenIssuedToAnotherClient
    case grantRevoked
    /// The patient's consent behind the grant has ended or was revoked.
    case consentNotInForce
    case scopeNotGranted

    public var code: OAuthErrorCode {
        switch self {
        case .missingParameter, .repeatedParameter, .unsupportedMediaType, .malformedBody: .invalidRequest
        case .unsupportedGrantType: .unsupportedGrantType
        case .clientNotAnApp, .clientIDMismatch: .invalidClient
        case .unknownCode, .codeExpired, .codeReused, .codeIssuedToAnotherClient, .redirectURIMismatch, .unknownRefreshToken,
            .refreshTokenExpired, .refreshTokenReused, .refreshTokenIssuedToAnotherClient, .grantRevoked, .consentNotInForce:
            .invalidGrant
        case .scopeNotGranted: .invalidScope
        }
    }

    public var description: String {
        switch self {
        case .missingParameter(let name): "the parameter \(name) is missing"
        case .repeatedParameter(let name): "the parameter \(name) is given more than once"
        case .unsupportedMediaType(let type): "the body must be application/x-www-form-urlencoded, not \(type)"
        case .malformedBody: "the form body has a malformed percent-encoding"
        case .unsupportedGrantType(let type): "grant_type \(type) is not supported; use authorization_code or refresh_token"
        case .clientNotAnApp: "the client certificate does not belong to a registered PGO app"
        case .clientIDMismatch: "client_id does not match the client certificate"
        case .unknownCode: "the authorization code is not known"
        case .codeExpired: "the authorization code has expired"
        case .codeReused: "the authorization code was already used; the tokens issued for it are revoked"
        case .codeIssuedToAnotherClient: "the authorization code was issued to another client"
        case .redirectURIMismatch: "redirect_uri differs from the one in the authorization request"
        case .unknownRefreshToken: "the refresh token is not known"
        case .refreshTokenExpired: "the refresh token has expired"
        case .refreshTokenReused: "the refresh token was already used; the grant is revoked"
        case .refreshTokenIssuedToAnotherClient: "the refresh token was issued to another client"
        case .grantRevoked: "the authorization was revoked"
        case .consentNotInForce: "the patient's consent has ended or was revoked"
        case .scopeNotGranted: "the requested scope exceeds what was granted"
        }
    }
}
