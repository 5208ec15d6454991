import Crypto
import Foundation

/// The random secrets the gateway hands out (access and refresh tokens, authorization codes, session
/// ids): 32 bytes from the system CSPRNG (256 bits, well above the 128 RFC 6749 §10.10 asks for),
/// base64url without padding. Only their SHA-256 hash is ever stored, so a copy of the database yields
/// nothing usable.
///
/// ```swift
/// let code = SecretToken.generate()          // "q1Vb…" (43 characters)
/// let stored = SecretToken.hash(code)        // 32 bytes for the database
/// SecretToken.isWellFormed(code)             // true
/// ```
public enum SecretToken {
    /// Length of a generated token: 32 bytes in unpadded base64url.
    public static let length = 43

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return base64URL(Data(bytes))
    }

    /// A second secret bound to `secret` for one `purpose` (HMAC-SHA256, base64url): it cannot be
    /// computed without `secret`, and does not reveal it. Used for per-session CSRF tokens.
    public static func derived(from secret: String, purpose: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(purpose.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return base64URL(Data(mac))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// Whether `token` could be one of ours; anything else is refused before touching the database.
    public static func isWellFormed(_ token: String) -> Bool {
        (20...512).contains(token.utf8.count) && token.utf8.allSatisfy(isBase64URL)
    }

    static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}
