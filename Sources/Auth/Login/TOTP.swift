import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238, on top of HOTP from RFC 4226), the second
/// factor of the DigiD stand-in.
///
/// ```swift
/// let secret = TOTP.randomSecret()
/// let totp = try TOTP(secret: secret)
/// let uri = totp.provisioningURI(issuer: "Zorgnet", account: "999993653")
/// let qr = try QRCode.encode(Array(uri.utf8), ecc: .medium)   // show qr.svg() at enrolment
///
/// // At login: refuse a step that was already used (replay protection).
/// if let step = totp.verifiedTimeStep(typedCode, at: .now, after: lastAcceptedStep) {
///     lastAcceptedStep = step
/// }
/// ```
public struct TOTP: Sendable {
    /// The HMAC hash function; authenticator apps mostly support only SHA-1, which is still
    /// safe here because HMAC does not depend on collision resistance.
    public enum Algorithm: String, Sendable, CaseIterable {
        case sha1 = "SHA1"
        case sha256 = "SHA256"
        case sha512 = "SHA512"
    }

    /// Why a TOTP configuration was refused.
    public enum ConfigurationError: Error, Equatable, Sendable {
        /// The shared secret has no bytes.
        case emptySecret
        /// Digits outside 6...8: fewer is guessable (RFC 4226 §5.3), more is unsupported by apps.
        case unsupportedDigits(Int)
        /// The time step must be at least one second.
        case invalidPeriod(Int)
    }

    /// The largest drift honoured by `verifiedTimeStep`, in steps either side.
    public static let maximumDrift = 10

    public let secret: [UInt8]
    public let digits: Int
    public let period: Int
    public let algorithm: Algorithm

    public init(secret: [UInt8], digits: Int = 6, period: Int = 30, algorithm: Algorithm = .sha1)
        throws(ConfigurationError)
    {
        guard !secret.isEmpty else { throw .emptySecret }
        guard (6...8).contains(digits) else { throw .unsupportedDigits(digits) }
        guard period >= 1 else { throw .invalidPeriod(period) }
        self.secret = secret
        self.digits = digits
        self.period = period
        self.algorithm = algorithm
    }

    /// A fresh secret from the system CSPRNG; 20 bytes matches SHA-1's output size as RFC 4226 recommends.
    public static func randomSecret(byteCount: Int = 20) -> [UInt8] {
        let key = SymmetricKey(size: SymmetricKeySize(bitCount: max(1, byteCount) * 8))
        return key.withUnsafeBytes { Array($0) }
    }

    /// The time step (RFC 6238 `T`) containing `date`; dates before the epoch map to step 0.
    public func timeStep(at date: Date) -> UInt64 {
        let seconds = date.timeIntervalSince1970
        guard seconds > 0, seconds.isFinite else { return 0 }
        return UInt64(seconds) / UInt64(period)
    }

    /// The code valid at `date`, zero-padded to `digits`.
    public func code(at date: Date) -> String {
        code(forStep: timeStep(at: date))
    }

    /// The code for a given time step (HOTP with the step as counter).
    public func code(forStep step: UInt64) -> String {
        let mac = hmac(counter: step)
        // Dynamic truncation (RFC 4226 §5.3): the low nibble of the last byte picks 4 bytes.
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary =
            (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// True if `code` matches the step at `date` or up to `allowedDrift` steps either side
    /// (clock skew and typing time). Prefer `verifiedTimeStep` at login to block replays.
    public func verify(_ code: String, at date: Date, allowedDrift: Int = 1) -> Bool {
        verifiedTimeStep(code, at: date, allowedDrift: allowedDrift) != nil
    }

    /// The matching time step, or nil. Passing the step accepted last as `after` refuses that
    /// step and every earlier one, so an observed code cannot be replayed within its window.
    /// All candidate steps are computed and compared in constant time, so the response time does
    /// not tell which step (if any) matched.
    public func verifiedTimeStep(
        _ code: String, at date: Date, allowedDrift: Int = 1, after lastAcceptedStep: UInt64? = nil
    ) -> UInt64? {
        let typed = Array(code.utf8)
        // The length and the digit alphabet are public, so rejecting early leaks nothing.
        guard typed.count == digits, typed.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let current = timeStep(at: date)
        // Capped so a careless caller cannot turn one login into thousands of HMACs.
        let drift = UInt64(min(max(0, allowedDrift), Self.maximumDrift))
        let lowest = current >= drift ? current - drift : 0
        let (highest, overflow) = current.addingReportingOverflow(drift)
        var matched: UInt64?
        for step in lowest...(overflow ? UInt64.max : highest) {
            let equal = Self.constantTimeEqual(Array(self.code(forStep: step).utf8), typed)
            let fresh = lastAcceptedStep.map { step > $0 } ?? true
            if equal && fresh && matched == nil { matched = step }
        }
        return matched
    }

    /// A Key URI (`otpauth://totp/Issuer:account?secret=…`) as read by authenticator apps.
    /// Issuer and account are percent-encoded; the secret is unpadded Base32.
    public func provisioningURI(issuer: String, account: String) -> String {
        let label = Self.percentEncode(issuer) + ":" + Self.percentEncode(account)
        let query = [
            "secret=" + Base32.encode(secret, padding: false),
            "issuer=" + Self.percentEncode(issuer),
            "algorithm=" + algorithm.rawValue,
            "digits=\(digits)",
            "period=\(period)",
        ]
        return "otpauth://totp/" + label + "?" + query.joined(separator: "&")
    }

    // MARK: - Internals

    private func hmac(counter: UInt64) -> [UInt8] {
        let message = withUnsafeBytes(of: counter.bigEndian) { Array($0) }
        let key = SymmetricKey(data: secret)
        switch algorithm {
        case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
        }
    }

    /// Compares without an early exit so timing does not reveal the matching prefix.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    /// RFC 3986 percent-encoding keeping only unreserved characters, so `:`, `&`, `?`, `@`
    /// and spaces in names cannot break the label or the query.
    static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.append(byte)
            default:
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
