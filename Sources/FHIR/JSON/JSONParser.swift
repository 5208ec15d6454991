/// A strict RFC 8259 parser over raw bytes that keeps what FHIR needs kept: number text, member order.
///
/// It runs on every request body, so it works on an `UnsafeBufferPointer` with integer offsets and
/// never iterates Characters. Positions are only turned into line and column when an error is thrown.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private let depthLimit: Int

    /// Objects up to this size check duplicates by a linear scan; larger ones switch to a set so that a
    /// hostile object with many members stays linear.
    private static let linearDuplicateCheckLimit = 24

    init(_ bytes: UnsafeBufferPointer<UInt8>, depthLimit: Int) {
        self.bytes = bytes
        self.depthLimit = depthLimit
    }

    mutating func parseDocument() throws(FHIRParseError) -> FHIRValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3  // RFC 8259 §8.1 lets a parser ignore a byte order mark.
        }
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw error(.trailingContent, at: index) }
        return value
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(FHIRParseError) -> FHIRValue {
        guard index < bytes.count else {
            throw error(.malformedJSON("expected a value, found the end of the input"), at: index)
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .boolean(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .boolean(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default:
            throw error(.malformedJSON("expected a value (object, array, string, number, true, false or null)"), at: index)
        }
    }

    private mutating func parseObject(depth: Int) throws(FHIRParseError) -> FHIRValue {
        guard depth <= depthLimit else { throw error(.tooDeep(limit: depthLimit), at: index) }
        index += 1
        skipWhitespace()
        var members: [FHIRObject.Member] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(FHIRObject(members))
        }
        var seenKeys: Set<String>?
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error(.malformedJSON(members.isEmpty
                    ? "expected a member name in double quotes or '}'"
                    : "expected a member name in double quotes after ','"), at: index)
            }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error(.malformedJSON("expected ':' after the member name"), at: index)
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            if isDuplicate(key, in: members, seenKeys: &seenKeys) {
                throw error(.duplicateKey(key), at: keyOffset)
            }
            members.append(FHIRObject.Member(key: key, value: value))
            skipWhitespace()
            guard index < bytes.count else {
                throw error(.malformedJSON("expected ',' or '}' after an object member, found the end of the input"), at: index)
            }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                return .object(FHIRObject(members))
            default:
                throw error(.malformedJSON("expected ',' or '}' after an object member"), at: index)
            }
        }
    }

    private func isDuplicate(
        _ key: String, in members: [FHIRObject.Member], seenKeys: inout Set<String>?
    ) -> Bool {
        if seenKeys == nil, members.count < Self.linearDuplicateCheckLimit {
            return members.contains { $0.key == key }
        }
        if seenKeys == nil { seenKeys = Set(members.map(\.key)) }
        return seenKeys?.insert(key).inserted == false
    }

    private mutating func parseArray(depth: Int) throws(FHIRParseError) -> FHIRValue {
        guard depth <= depthLimit else { throw error(.tooDeep(limit: depthLimit), at: index) }
        index += 1
        skipWhitespace()
        var elements: [FHIRValue] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                throw error(.malformedJSON("expected a value after ','"), at: index)
            }
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else {
                throw error(.malformedJSON("expected ',' or ']' after an array element, found the end of the input"), at: index)
            }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default:
                throw error(.malformedJSON("expected ',' or ']' after an array element"), at: index)
            }
        }
    }

    private mutating func parseLiteral(_ literal: StaticString, _ value: FHIRValue) throws(FHIRParseError) -> FHIRValue {
        let length = literal.utf8CodeUnitCount
        let matches = index + length <= bytes.count && (0..<length).allSatisfy {
            bytes[index + $0] == literal.utf8Start[$0]
        }
        guard matches else { throw error(.malformedJSON("expected '\(literal)'"), at: index) }
        index += length
        return value
    }

    private mutating func parseNumber() throws(FHIRParseError) -> FHIRNumber {
        let start = index
        // Take the whole number-like run first, so that `1.2.3` is reported as one bad number.
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
                 UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default:
                let token = UnsafeBufferPointer(rebasing: bytes[start..<index])
                return try makeNumber(token, start: start)
            }
        }
        return try makeNumber(UnsafeBufferPointer(rebasing: bytes[start..<index]), start: start)
    }

    private func makeNumber(_ token: UnsafeBufferPointer<UInt8>, start: Int) throws(FHIRParseError) -> FHIRNumber {
        let text = String(decoding: token, as: UTF8.self)
        guard FHIRNumber.isValidJSONNumber(token) else { throw error(.invalidNumber(text), at: start) }
        return FHIRNumber(validatedText: text)
    }

    // MARK: - Strings

    /// Reads a string starting at its opening quote. Strings without escapes, the vast majority, are
    /// validated in place and copied once.
    private mutating func parseString() throws(FHIRParseError) -> String {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return string
            } else if byte == UInt8(ascii: "\\") {
                return try parseEscapedString(from: start)
            } else if byte < 0x20 {
                throw error(.controlCharacterInString, at: index)
            } else if byte >= 0x80 {
                try skipUTF8Sequence()
            } else {
                index += 1
            }
        }
        throw error(.malformedJSON("expected '\"' to close the string, found the end of the input"), at: index)
    }

    private mutating func parseEscapedString(from start: Int) throws(FHIRParseError) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(index - start + 16)
        decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: decoded, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                try decodeEscape(into: &decoded)
            } else if byte < 0x20 {
                throw error(.controlCharacterInString, at: index)
            } else if byte >= 0x80 {
                let sequenceStart = index
                try skipUTF8Sequence()
                decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[sequenceStart..<index]))
            } else {
                decoded.append(byte)
                index += 1
            }
        }
        throw error(.malformedJSON("expected '\"' to close the string, found the end of the input"), at: index)
    }

    private mutating func decodeEscape(into decoded: inout [UInt8]) throws(FHIRParseError) {
        let escapeStart = index
        guard index + 1 < bytes.count else {
            throw error(.malformedJSON("expected an escape character after '\\', found the end of the input"), at: index)
        }
        let escaped = bytes[index + 1]
        index += 2
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escaped)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            let scalar = try decodeUnicodeEscape(escapeStart: escapeStart)
            decoded.append(contentsOf: String(Character(scalar)).utf8)
        default:
            let shown = escaped < 0x80 ? String(UnicodeScalar(escaped)) : "?"
            throw error(.invalidEscape("\\" + shown), at: escapeStart)
        }
    }

    /// Decodes `XXXX` after `\u`, joining a surrogate pair written as two escapes.
    private mutating func decodeUnicodeEscape(escapeStart: Int) throws(FHIRParseError) -> Unicode.Scalar {
        let first = try readHexQuad(escapeStart: escapeStart)
        switch first {
        case 0xD800...0xDBFF:
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error(.loneSurrogate, at: escapeStart)
            }
            let secondStart = index
            index += 2
            let second = try readHexQuad(escapeStart: secondStart)
            guard (0xDC00...0xDFFF).contains(second) else { throw error(.loneSurrogate, at: escapeStart) }
            let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else { throw error(.loneSurrogate, at: escapeStart) }
            return scalar
        case 0xDC00...0xDFFF:
            throw error(.loneSurrogate, at: escapeStart)
        default:
            guard let scalar = Unicode.Scalar(first) else { throw error(.loneSurrogate, at: escapeStart) }
            return scalar
        }
    }

    private mutating func readHexQuad(escapeStart: Int) throws(FHIRParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count, let digit = Self.hexValue(bytes[index]) else {
                throw error(.invalidEscape("\\u needs four hexadecimal digits"), at: escapeStart)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Checks one multi-byte UTF-8 sequence at `index` (Unicode Table 3-7: no overlongs, no
    /// surrogates, nothing above U+10FFFF) and steps over it.
    private mutating func skipUTF8Sequence() throws(FHIRParseError) {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw error(.invalidUTF8, at: index)
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else {
            throw error(.invalidUTF8, at: index)
        }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 {
            throw error(.invalidUTF8, at: index)
        }
        index += length
    }

    // MARK: - Whitespace and positions

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    private func error(_ reason: FHIRParseError.Reason, at offset: Int) -> FHIRParseError {
        let (line, column) = TextPosition.lineAndColumn(of: min(offset, bytes.count), in: bytes)
        return FHIRParseError(reason, line: line, column: column)
    }
}

/// Turns a byte offset into the 1-based line and column a person would count in an editor.
enum TextPosition {
    static func lineAndColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in UnsafeBufferPointer(rebasing: bytes[0..<offset]) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {  // continuation bytes belong to the character before them
                column += 1
            }
        }
        return (line, column)
    }
}
