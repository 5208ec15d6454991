/// Base32 as defined in RFC 4648 §6 (alphabet `A–Z2–7`), used for TOTP shared secrets
/// because authenticator apps expect the secret in this form in `otpauth://` URIs.
///
/// ```swift
/// let text = Base32.encode(Array("foobar".utf8))          // "MZXW6YTBOI======"
/// let bare = Base32.encode(Array("foobar".utf8), padding: false) // "MZXW6YTBOI"
/// let bytes = try Base32.decode("mzxw6ytboi")             // case and padding are forgiven
/// ```
public enum Base32 {
    /// Why a string could not be decoded.
    public enum DecodingError: Error, Equatable, Sendable {
        /// A character outside the RFC 4648 alphabet (after upper-casing), at this offset.
        case invalidCharacter(Character, offset: Int)
        /// The number of significant characters cannot come from whole bytes (1, 3 or 6 modulo 8).
        case invalidLength(Int)
        /// Padding `=` followed by a non-padding character.
        case misplacedPadding(offset: Int)
    }

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Encodes `bytes`; `padding: false` drops the trailing `=` as Key URI consumers prefer.
    public static func encode(_ bytes: [UInt8], padding: Bool = true) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 4) / 5 * 8)
        var buffer: UInt32 = 0
        var bitCount = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                output.append(alphabet[Int((buffer >> UInt32(bitCount)) & 0x1F)])
            }
        }
        if bitCount > 0 {
            // Left-align the remaining bits in a final quintet, zero-filled.
            output.append(alphabet[Int((buffer << UInt32(5 - bitCount)) & 0x1F)])
        }
        if padding {
            while output.count % 8 != 0 { output.append(UInt8(ascii: "=")) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes RFC 4648 Base32, accepting lower case and missing padding since users
    /// copy secrets by hand; spaces and hyphens used for grouping are skipped.
    public static func decode(_ text: String) throws(DecodingError) -> [UInt8] {
        var buffer: UInt32 = 0
        var bitCount = 0
        var significant = 0
        var seenPadding = false
        var output: [UInt8] = []
        for (offset, character) in text.enumerated() {
            if character == " " || character == "-" { continue }
            if character == "=" {
                seenPadding = true
                continue
            }
            if seenPadding { throw .misplacedPadding(offset: offset) }
            guard let value = quintet(of: character) else {
                throw .invalidCharacter(character, offset: offset)
            }
            significant += 1
            buffer = ((buffer << 5) | UInt32(value)) & 0xFFFF
            bitCount += 5
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bitCount)))
            }
        }
        if [1, 3, 6].contains(significant % 8) { throw .invalidLength(significant) }
        return output
    }

    private static func quintet(of character: Character) -> UInt8? {
        guard let ascii = character.asciiValue else { return nil }
        switch ascii {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return ascii - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return ascii - UInt8(ascii: "a")
        case UInt8(ascii: "2")...UInt8(ascii: "7"): return ascii - UInt8(ascii: "2") + 26
        default: return nil
        }
    }
}
