internal import CLibXML2

/// Writes a narrative `div` subtree as the XHTML text FHIR JSON carries in `Narrative.div`, and as
/// the markup the XML writer embeds. Output always declares the XHTML namespace on the root, since
/// JSON has no surrounding document to inherit it from.
enum XHTMLSerializer {
    static let namespace = "http://www.w3.org/1999/xhtml"
    private static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// Serializes `element`; elements without a namespace are taken as XHTML (JSON written by hand
    /// often leaves out the xmlns).
    static func serialize(_ element: xmlNodePtr) -> String {
        var output = XMLBytes()
        write(element, inheritedNamespace: nil, into: &output)
        return String(decoding: output.bytes, as: UTF8.self)
    }

    private static func write(_ element: xmlNodePtr, inheritedNamespace: String?, into output: inout XMLBytes) {
        let name = element.localName
        let namespace = element.namespaceURI ?? Self.namespace
        output.append("<")
        output.append(name)
        if namespace != inheritedNamespace {
            output.append(" xmlns=\"")
            output.appendEscaped(namespace, inAttribute: true)
            output.append("\"")
        }
        var prefixes = 0
        for attribute in element.attributes {
            output.append(" ")
            switch attribute.namespaceURI {
            case nil:
                output.append(attribute.name)
            case xmlNamespace?:
                output.append("xml:")
                output.append(attribute.name)
            case let other?:
                // Rare in narrative (xlink in SVG); a fresh prefix per attribute keeps it correct.
                prefixes += 1
                output.append("xmlns:a\(prefixes)=\"")
                output.appendEscaped(other, inAttribute: true)
                output.append("\" a\(prefixes):")
                output.append(attribute.name)
            }
            output.append("=\"")
            output.appendEscaped(attribute.value, inAttribute: true)
            output.append("\"")
        }
        let children = element.children.filter { $0.isElement || $0.isText }
        guard !children.isEmpty else {
            output.append("/>")
            return
        }
        output.append(">")
        for child in children {
            if child.isElement {
                write(child, inheritedNamespace: namespace, into: &output)
            } else {
                output.appendEscaped(child.textContent, inAttribute: false)
            }
        }
        output.append("</")
        output.append(name)
        output.append(">")
    }
}

/// A growing UTF-8 buffer with XML escaping, shared by the XHTML serializer and the XML writer.
struct XMLBytes {
    var bytes: [UInt8] = []

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Escapes markup characters; in attributes also quotes and the whitespace that attribute
    /// normalisation would otherwise turn into spaces. Control characters XML 1.0 cannot carry at
    /// all become U+FFFD, so the output always parses.
    mutating func appendEscaped(_ text: String, inAttribute: Bool) {
        var text = text
        text.withUTF8 { utf8 in
            // Runs of ordinary bytes, nearly all of any FHIR document, are copied in one go.
            var runStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x3F && Self.needsEscape(byte, inAttribute: inAttribute) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscape(for: byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
    }

    private static func needsEscape(_ byte: UInt8, inAttribute: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), 0x0D: true
        case UInt8(ascii: "\""), 0x09, 0x0A: inAttribute
        case 0x00..<0x20: true
        default: false
        }
    }

    private mutating func appendEscape(for byte: UInt8) {
        switch byte {
        case UInt8(ascii: "&"): append("&amp;")
        case UInt8(ascii: "<"): append("&lt;")
        case UInt8(ascii: ">"): append("&gt;")
        case UInt8(ascii: "\""): append("&quot;")
        case 0x0A: append("&#10;")
        case 0x0D: append("&#13;")
        case 0x09: append("&#9;")
        default: bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
        }
    }
}
