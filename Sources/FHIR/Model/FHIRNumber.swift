/// A JSON number kept as the exact text it was written with.
///
/// FHIR requires decimals to keep their precision: `1.00` means something other than `1`, and a value
/// such as `1E-245` must survive although no Swift floating-point type would print it back the same.
///
/// ```swift
/// let weight = FHIRNumber(text: "72.50")!
/// weight.text         // "72.50"
/// weight.doubleValue  // 72.5
/// ```
public struct FHIRNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as written, valid JSON number grammar.
    public let text: String

    /// Accepts only text that follows the JSON number grammar (RFC 8259 §6).
    public init?(text: String) {
        guard FHIRNumber.isValidJSONNumber(text.utf8) else { return nil }
        self.text = text
    }

    public init(_ integer: Int) {
        self.text = String(integer)
    }

    /// Trusted construction for parsers that have already checked the grammar.
    init(validatedText: String) {
        self.text = validatedText
    }

    public var description: String { text }

    public var doubleValue: Double? { Double(text) }

    /// The value as an integer when the text is a plain integer that fits.
    public var intValue: Int? { Int(text) }

    /// Whether the text follows the JSON number grammar:
    /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    public static func isValidJSONNumber(_ utf8: some Collection<UInt8>) -> Bool {
        var index = utf8.startIndex
        let end = utf8.endIndex
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func digits() -> Int {
            var count = 0
            while index != end, isDigit(utf8[index]) {
                utf8.formIndex(after: &index)
                count += 1
            }
            return count
        }
        if index != end, utf8[index] == UInt8(ascii: "-") { utf8.formIndex(after: &index) }
        guard index != end else { return false }
        if utf8[index] == UInt8(ascii: "0") {
            utf8.formIndex(after: &index)
        } else if digits() == 0 {
            return false
        }
        if index != end, utf8[index] == UInt8(ascii: ".") {
            utf8.formIndex(after: &index)
            guard digits() > 0 else { return false }
        }
        if index != end, utf8[index] == UInt8(ascii: "e") || utf8[index] == UInt8(ascii: "E") {
            utf8.formIndex(after: &index)
            if index != end, utf8[index] == UInt8(ascii: "+") || utf8[index] == UInt8(ascii: "-") {
                utf8.formIndex(after: &index)
            }
            guard digits() > 0 else { return false }
        }
        return index == end
    }
}
