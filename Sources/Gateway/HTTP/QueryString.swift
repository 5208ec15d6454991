/// Splits a query string or an `application/x-www-form-urlencoded` body into decoded name/value pairs,
/// keeping their order and repetitions (FHIR gives repeated parameters AND meaning).
///
/// ```swift
/// try QueryString.parse("code=http%3A%2F%2Floinc.org%7C85354-9&_count=10", form: false)
/// // [("code", "http://loinc.org|85354-9"), ("_count", "10")]
/// ```
enum QueryString {
    struct MalformedEncoding: Error {
        let text: String
    }

    static func parse(_ query: String, form: Bool) throws -> [(name: String, value: String)] {
        var pairs = [(name: String, value: String)]()
        for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(parts[0], form: form)
            let value = parts.count > 1 ? try decode(parts[1], form: form) : ""
            pairs.append((name, value))
        }
        return pairs
    }

    /// Percent-decoding that refuses broken escapes and invalid UTF-8 rather than guessing.
    static func decode(_ text: Substring, form: Bool) throws -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw MalformedEncoding(text: String(text))
                }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where form:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw MalformedEncoding(text: String(text)) }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Percent-encodes a value for use in a link this server writes.
    static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return result
    }
}
