/// The first line of defence against XML entity attacks: refuse before libxml2 sees a byte.
///
/// FHIR XML never needs a DTD, and every entity attack (billion laughs, external entities reading
/// files or URLs) needs one, so any `<!DOCTYPE` or `<!ENTITY` outside comments, CDATA sections and
/// processing instructions ends the request. The scan is a single pass over the bytes, so a hostile
/// body costs no more than reading it. The parser's SAX hooks (see ``LibXMLDocument``) are the
/// second line, should this scan ever be wrong.
enum XMLSafety {
    /// Throws `doctypeForbidden` or `entityForbidden` with the declaration's position, or
    /// `malformedXML` for a body that is not UTF-8 (the only encoding the scan, and FHIR, accept).
    static func check(_ bytes: UnsafeBufferPointer<UInt8>) throws(FHIRParseError) {
        try checkEncoding(bytes)
        var index = 0
        let count = bytes.count
        while index < count {
            guard bytes[index] == UInt8(ascii: "<"), index + 1 < count else {
                index += 1
                continue
            }
            switch bytes[index + 1] {
            case UInt8(ascii: "?"):
                index = end(of: "?>", in: bytes, from: index + 2)
            case UInt8(ascii: "!"):
                if matches("<!--", in: bytes, at: index) {
                    index = end(of: "-->", in: bytes, from: index + 4)
                } else if matches("<![CDATA[", in: bytes, at: index) {
                    index = end(of: "]]>", in: bytes, from: index + 9)
                } else if matches("<!DOCTYPE", in: bytes, at: index, ignoringCase: true) {
                    throw refusal(.doctypeForbidden, at: index, in: bytes)
                } else if matches("<!ENTITY", in: bytes, at: index, ignoringCase: true) {
                    throw refusal(.entityForbidden, at: index, in: bytes)
                } else {
                    index += 2  // anything else after "<!" is malformed; libxml2 will say so
                }
            default:
                index += 1
            }
        }
    }

    /// UTF-16, UTF-32 and EBCDIC would hide `<!DOCTYPE` from a byte scan, so only bodies that
    /// look like UTF-8 get through: after an optional UTF-8 byte order mark and whitespace comes an
    /// ASCII `<`, and no NUL byte in the first few. That also leaves libxml2's encoding detection
    /// nothing to find but UTF-8.
    private static func checkEncoding(_ bytes: UnsafeBufferPointer<UInt8>) throws(FHIRParseError) {
        var index = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        let hasNUL = bytes.prefix(4).contains(0)
        if index < bytes.count, bytes[index] != UInt8(ascii: "<") || hasNUL {
            throw FHIRParseError(.malformedXML("FHIR XML must be encoded as UTF-8 and start with '<'"), line: 1, column: 1)
        }
    }

    /// The index just past `terminator`, or the end of the bytes when it never comes (libxml2 then
    /// reports the unterminated construct).
    private static func end(of terminator: StaticString, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            if matches(terminator, in: bytes, at: index) { return index + terminator.utf8CodeUnitCount }
            index += 1
        }
        return bytes.count
    }

    private static func matches(
        _ literal: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at index: Int, ignoringCase: Bool = false
    ) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard index + length <= bytes.count else { return false }
        for offset in 0..<length {
            var byte = bytes[index + offset]
            if ignoringCase, byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") { byte -= 32 }
            if byte != literal.utf8Start[offset] { return false }
        }
        return true
    }

    private static func refusal(
        _ reason: FHIRParseError.Reason, at offset: Int, in bytes: UnsafeBufferPointer<UInt8>
    ) -> FHIRParseError {
        let (line, column) = TextPosition.lineAndColumn(of: offset, in: bytes)
        return FHIRParseError(reason, line: line, column: column)
    }
}
