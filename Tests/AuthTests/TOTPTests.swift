import Foundation
import Testing

import Auth

@Suite("TOTP (RFC 6238) and Base32 (RFC 4648)")
struct TOTPTests {
    /// RFC 6238 Appendix B seeds: ASCII digits repeated to the hash's output length.
    static func seed(for algorithm: TOTP.Algorithm) -> [UInt8] {
        let base = Array("1234567890".utf8)
        let length = switch algorithm {
        case .sha1: 20
        case .sha256: 32
        case .sha512: 64
        }
        return (0..<length).map { base[$0 % base.count] }
    }

    struct Vector: Sendable, CustomTestStringConvertible {
        let time: TimeInterval
        let algorithm: TOTP.Algorithm
        let code: String
        var testDescription: String { "\(algorithm.rawValue) at \(Int(time))" }
    }

    static let appendixB: [Vector] = [
        (59, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ].flatMap { time, sha1, sha256, sha512 in
        [
            Vector(time: time, algorithm: .sha1, code: sha1),
            Vector(time: time, algorithm: .sha256, code: sha256),
            Vector(time: time, algorithm: .sha512, code: sha512),
        ]
    }

    @Test("produces the RFC 6238 Appendix B codes", arguments: appendixB)
    func appendixBVectors(_ vector: Vector) throws {
        let totp = try TOTP(secret: Self.seed(for: vector.algorithm), digits: 8, algorithm: vector.algorithm)
        let date = Date(timeIntervalSince1970: vector.time)
        #expect(totp.code(at: date) == vector.code)
        #expect(totp.verify(vector.code, at: date, allowedDrift: 0))
    }

    @Test("accepts codes within the drift window and refuses those outside it", arguments: [-2, -1, 0, 1, 2])
    func driftWindow(offsetSteps: Int) throws {
        let totp = try TOTP(secret: Self.seed(for: .sha1))
        let now = Date(timeIntervalSince1970: 1_700_000_015)
        let code = totp.code(at: now.addingTimeInterval(TimeInterval(offsetSteps * 30)))
        #expect(totp.verify(code, at: now, allowedDrift: 1) == (abs(offsetSteps) <= 1))
        #expect(totp.verify(code, at: now, allowedDrift: 2))
        #expect(totp.verify(code, at: now, allowedDrift: 0) == (offsetSteps == 0))
    }

    @Test("refuses wrong, malformed and wrong-length codes", arguments: ["000000", "12345", "1234567", "12a456", "", " 123456"])
    func wrongCodeRefused(code: String) throws {
        let totp = try TOTP(secret: Self.seed(for: .sha1))
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        // "000000" is not among the valid codes around this instant (checked by the guard below).
        let valid = (-1...1).map { totp.code(at: now.addingTimeInterval(TimeInterval($0 * 30))) }
        #expect(!valid.contains(code))
        #expect(!totp.verify(code, at: now))
    }

    @Test("returns the matched step and refuses to accept the same step twice")
    func replayProtection() throws {
        let totp = try TOTP(secret: Self.seed(for: .sha1))
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let code = totp.code(at: now)
        let step = try #require(totp.verifiedTimeStep(code, at: now))
        #expect(step == 1_111_111_111 / 30)
        #expect(totp.verifiedTimeStep(code, at: now, after: step) == nil)
        // The previous step's code is stale once a later step was accepted.
        let earlier = totp.code(at: now.addingTimeInterval(-30))
        #expect(totp.verifiedTimeStep(earlier, at: now, after: step) == nil)
        // The next step's code is still welcome.
        let later = totp.code(at: now.addingTimeInterval(30))
        #expect(totp.verifiedTimeStep(later, at: now, after: step) == step + 1)
    }

    @Test("refuses configurations that weaken or break the codes")
    func configurationErrors() {
        #expect(throws: TOTP.ConfigurationError.emptySecret) { try TOTP(secret: []) }
        #expect(throws: TOTP.ConfigurationError.unsupportedDigits(4)) { try TOTP(secret: [1], digits: 4) }
        #expect(throws: TOTP.ConfigurationError.invalidPeriod(0)) { try TOTP(secret: [1], period: 0) }
    }

    @Test("makes random secrets of the requested size that differ")
    func randomSecrets() {
        let first = TOTP.randomSecret()
        let second = TOTP.randomSecret()
        #expect(first.count == 20)
        #expect(first != second)
        #expect(TOTP.randomSecret(byteCount: 32).count == 32)
    }

    @Test("writes a percent-encoded Key URI with an unpadded Base32 secret")
    func provisioningURI() throws {
        let totp = try TOTP(secret: Array("12345678901234567890".utf8))
        let uri = totp.provisioningURI(issuer: "Zorgnet Gateway", account: "jan@example.nl")
        #expect(
            uri == "otpauth://totp/Zorgnet%20Gateway:jan%40example.nl?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                + "&issuer=Zorgnet%20Gateway&algorithm=SHA1&digits=6&period=30")
        let sha512 = try TOTP(secret: [0xFF], digits: 8, period: 60, algorithm: .sha512)
        #expect(sha512.provisioningURI(issuer: "A&B", account: "x:y").hasSuffix("algorithm=SHA512&digits=8&period=60"))
        #expect(sha512.provisioningURI(issuer: "A&B", account: "x:y").hasPrefix("otpauth://totp/A%26B:x%3Ay?secret=74&"))
    }

    @Test("encodes the RFC 4648 §10 Base32 vectors", arguments: [
        ("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="),
        ("foob", "MZXW6YQ="), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======"),
    ])
    func base32Vectors(plain: String, encoded: String) throws {
        #expect(Base32.encode(Array(plain.utf8)) == encoded)
        #expect(try Base32.decode(encoded) == Array(plain.utf8))
        let bare = encoded.replacingOccurrences(of: "=", with: "")
        #expect(Base32.encode(Array(plain.utf8), padding: false) == bare)
        #expect(try Base32.decode(bare.lowercased()) == Array(plain.utf8))
    }

    @Test("round-trips arbitrary bytes through Base32", arguments: 0..<24)
    func base32RoundTrip(length: Int) throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) }
        #expect(try Base32.decode(Base32.encode(bytes)) == bytes)
        #expect(try Base32.decode(Base32.encode(bytes, padding: false)) == bytes)
    }

    @Test("rejects malformed Base32 with a precise error")
    func base32Errors() {
        #expect(throws: Base32.DecodingError.invalidCharacter("1", offset: 2)) { try Base32.decode("MZ1") }
        #expect(throws: Base32.DecodingError.invalidLength(1)) { try Base32.decode("M") }
        #expect(throws: Base32.DecodingError.misplacedPadding(offset: 3)) { try Base32.decode("MY=A") }
    }
}
