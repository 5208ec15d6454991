/// Writes a value tree as JSON bytes: numbers as their original text, members in their order.
struct JSONWriter {
    private(set) var output: [UInt8] = []
    private let pretty: Bool

    init(pretty: Bool, capacity: Int = 1024) {
        self.pretty = pretty
        output.reserveCapacity(capacity)
    }

    mutating func write(_ value: FHIRValue, indent: Int = 0) {
        switch value {
        case .object(let object): writeObject(object, indent: indent)
        case .array(let array): writeArray(array, indent: indent)
        case .string(let string): writeString(string)
        case .number(let number): output.append(contentsOf: number.text.utf8)
        case .boolean(let bool): output.append(contentsOf: bool ? Self.trueBytes : Self.falseBytes)
        case .null: output.append(contentsOf: Self.nullBytes)
        }
    }

    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)
    private static let nullBytes: [UInt8] = Array("null".utf8)

    private mutating func writeObject(_ object: FHIRObject, indent: Int) {
        guard !object.isEmpty else {
            output.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
            return
        }
        output.append(UInt8(ascii: "{"))
        for (position, member) in object.members.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            newline(indent: indent + 1)
            writeString(member.key)
            output.append(UInt8(ascii: ":"))
            if pretty { output.append(UInt8(ascii: " ")) }
            write(member.value, indent: indent + 1)
        }
        newline(indent: indent)
        output.append(UInt8(ascii: "}"))
    }

    private mutating func writeArray(_ array: [FHIRValue], indent: Int) {
        guard !array.isEmpty else {
            output.append(contentsOf: [UInt8(ascii: "["), UInt8(ascii: "]")])
            return
        }
        output.append(UInt8(ascii: "["))
        for (position, element) in array.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            newline(indent: indent + 1)
            write(element, indent: indent + 1)
        }
        newline(indent: indent)
        output.append(UInt8(ascii: "]"))
    }

    private mutating func newline(indent: Int) {
        guard pretty else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    /// Escapes what RFC 8259 requires (quote, backslash, control characters) and copies runs of
    /// everything else in one go. "/" stays as it is.
    private mutating func writeString(_ string: String) {
        output.append(UInt8(ascii: "\""))
        let copied: Void? = string.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        if copied == nil {
            appendEscaped(Array(string.utf8))
        }
        output.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ bytes: some RandomAccessCollection<UInt8>) {
        var runStart = bytes.startIndex
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                bytes.formIndex(after: &index)
                continue
            }
            output.append(contentsOf: bytes[runStart..<index])
            appendEscape(for: byte)
            bytes.formIndex(after: &index)
            runStart = index
        }
        output.append(contentsOf: bytes[runStart..<index])
    }

    private mutating func appendEscape(for byte: UInt8) {
        output.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
        case 0x08: output.append(UInt8(ascii: "b"))
        case 0x0C: output.append(UInt8(ascii: "f"))
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        case 0x09: output.append(UInt8(ascii: "t"))
        default:
            let hex = Array("0123456789abcdef".utf8)
            output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }
}
