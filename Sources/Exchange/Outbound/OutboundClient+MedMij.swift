import AsyncHTTPClient
import FHIR
import NIOHTTP1
import Foundation

/// A token endpoint's answer (RFC 6749 §5.1). Its description never shows the tokens.
public struct TokenResponse: Sendable, Hashable, CustomStringConvertible {
    public var accessToken: String
    public var tokenType: String
    public var expiresIn: Int?
    public var refreshToken: String?
    public var scope: String?

    public init(accessToken: String, tokenType: String, expiresIn: Int? = nil, refreshToken: String? = nil, scope: String? = nil) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.scope = scope
    }

    public var description: String {
        "TokenResponse(type: \(tokenType), expiresIn: \(expiresIn.map(String.init) ?? "-"), refresh: \(refreshToken == nil ? "no" : "yes"))"
    }
}

extension OutboundClient {
    /// POSTs a form to a token endpoint (RFC 6749 §4.1.3 / §6: form body, not the query string) and
    /// reads the token answer. An RFC 6749 §5.2 error answer becomes ``OutboundError/oauthError(code:status:)``.
    public func requestToken(
        url: String, form: [(String, String)], headers: [(String, String)], credentials: OutboundCredentials
    ) async throws(OutboundError) -> TokenResponse {
        let body = Array(FormEncoding.encode(form).utf8)
        let all = headers + [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")]
        let response = try await send(.POST, url: url, headers: all, body: body, credentials: credentials, purpose: .token)
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard response.status == 200 else {
            let code = object?["error"] as? String ?? ""
            // Only a plain RFC 6749 code is kept; free text from a peer stays out of our logs.
            if (400...401).contains(response.status), !code.isEmpty, code.utf8.count <= 64,
                code.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "_") })
            {
                throw .oauthError(code: code, status: response.status)
            }
            throw .httpStatus(response.status, host: URLComponents(string: url)?.host ?? url)
        }
        guard let object else { throw .malformedTokenResponse(reason: "not a JSON object") }
        guard let accessToken = object["access_token"] as? String, !accessToken.isEmpty else {
            throw .malformedTokenResponse(reason: "access_token missing")
        }
        guard let tokenType = object["token_type"] as? String, tokenType.lowercased() == "bearer" else {
            throw .malformedTokenResponse(reason: "token_type is not bearer")
        }
        return TokenResponse(
            accessToken: accessToken, tokenType: tokenType, expiresIn: (object["expires_in"] as? NSNumber)?.intValue,
            refreshToken: object["refresh_token"] as? String, scope: object["scope"] as? String)
    }

    /// GETs a FHIR resource (a searchset Bundle for a search) as JSON with the bearer token, and
    /// parses it. Anything but a 200 with a FHIR JSON resource is an error.
    public func fetchFHIR(
        url: String, bearer: String, headers: [(String, String)], credentials: OutboundCredentials
    ) async throws(OutboundError) -> FHIRResource {
        let all = headers + [("Authorization", "Bearer \(bearer)"), ("Accept", "application/fhir+json")]
        let response = try await send(.GET, url: url, headers: all, credentials: credentials, purpose: .resource)
        guard response.status == 200 else { throw .httpStatus(response.status, host: URLComponents(string: url)?.host ?? url) }
        if let type = response.header("Content-Type")?.lowercased(), !type.contains("json") {
            throw .malformedFHIR(reason: "media type \(type.prefix(60)), expected application/fhir+json")
        }
        do {
            return try FHIRJSON.parseResource(response.body)
        } catch {
            throw .malformedFHIR(reason: String(describing: error).prefix(200).description)
        }
    }
}

extension OutboundClient {
    /// POSTs a FHIR JSON resource (a `batch` Bundle when sharing) with the bearer token and parses the
    /// answer. Only a 200 or 201 with a FHIR JSON resource counts; a 4xx/5xx is ``OutboundError/httpStatus(_:host:)``
    /// whatever its body says (an OperationOutcome may quote what was sent).
    public func postFHIR(
        url: String, resource: [UInt8], bearer: String, headers: [(String, String)], credentials: OutboundCredentials
    ) async throws(OutboundError) -> FHIRResource {
        let all = headers + [
            ("Authorization", "Bearer \(bearer)"), ("Content-Type", "application/fhir+json"), ("Accept", "application/fhir+json"),
        ]
        let response = try await send(.POST, url: url, headers: all, body: resource, credentials: credentials, purpose: .resource)
        guard response.status == 200 || response.status == 201 else {
            throw .httpStatus(response.status, host: URLComponents(string: url)?.host ?? url)
        }
        if let type = response.header("Content-Type")?.lowercased(), !type.contains("json") {
            throw .malformedFHIR(reason: "media type \(type.prefix(60)), expected application/fhir+json")
        }
        do {
            return try FHIRJSON.parseResource(response.body)
        } catch {
            throw .malformedFHIR(reason: String(describing: error).prefix(200).description)
        }
    }
}

/// `application/x-www-form-urlencoded` as the WHATWG URL standard defines it.
public enum FormEncoding {
    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(component($0.0))=\(component($0.1))" }.joined(separator: "&")
    }

    /// Letters, digits and `*-._` stay; a space becomes `+`; everything else is percent-encoded.
    public static func component(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                out.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: " "): out.append("+")
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
