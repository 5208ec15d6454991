/// Refuses DOCTYPE and ENTITY declarations before libxml2 sees a byte.
///
/// The lists never need a DTD and every entity attack (billion laughs, external entities) needs one.
/// The approach follows the FHIR module's XMLSafety: one pass, skipping comments, CDATA sections
/// and processing instructions, where `<!DOCTYPE` may legitimately appear as text. The parser's SAX
/// hooks in ``ListLibXML`` are the second line, should this scan ever be wrong.
enum ListXMLPrescan {
    static func check(_ bytes: [UInt8]) throws(MedMijListError) {
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
                index = end(of: Array("?>".utf8), in: bytes, from: index + 2)
            case UInt8(ascii: "!"):
                if matches(Array("<!--".utf8), in: bytes, at: index) {
                    index = end(of: Array("-->".utf8), in: bytes, from: index + 4)
                } else if matches(Array("<![CDATA[".utf8), in: bytes, at: index) {
                    index = end(of: Array("]]>".utf8), in: bytes, from: index + 9)
                } else if matches(Array("<!DOCTYPE".utf8), in: bytes, at: index, ignoringCase: true) {
                    throw .unsafeXML(.doctype, line: line(of: index, in: bytes))
                } else if matches(Array("<!ENTITY".utf8), in: bytes, at: index, ignoringCase: true) {
                    throw .unsafeXML(.entity, line: line(of: index, in: bytes))
                } else {
                    index += 2  // anything else after "<!" is malformed; libxml2 will say so
                }
            default:
                index += 1
            }
        }
    }

    /// UTF-16/32 would hide `<!DOCTYPE` from a byte scan, so only bodies that look like UTF-8 pass:
    /// an optional BOM and whitespace, then an ASCII `<`, and no NUL in the first bytes.
    private static func checkEncoding(_ bytes: [UInt8]) throws(MedMijListError) {
        var index = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        if index < bytes.count, bytes[index] != UInt8(ascii: "<") || bytes.prefix(4).contains(0) {
            throw .unsafeXML(.notUTF8, line: 1)
        }
    }

    /// Just past `terminator`, or the end when it never comes (libxml2 then reports it).
    private static func end(of terminator: [UInt8], in bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            if matches(terminator, in: bytes, at: index) { return index + terminator.count }
            index += 1
        }
        return bytes.count
    }

    private static func matches(_ literal: [UInt8], in bytes: [UInt8], at index: Int, ignoringCase: Bool = false) -> Bool {
        guard index + literal.count <= bytes.count else { return false }
        for offset in 0..<literal.count {
            var byte = bytes[index + offset]
            if ignoringCase, byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") { byte -= 32 }
            if byte != literal[offset] { return false }
        }
        return true
    }

    private static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        1 + bytes[..<offset].count { $0 == UInt8(ascii: "\n") }
    }
}
