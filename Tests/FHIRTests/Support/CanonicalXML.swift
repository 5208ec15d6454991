import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// An XML element reduced to what FHIR gives meaning to: namespace and local name, attributes
/// (without namespace declarations and xsi: hints), child elements, and the text inside narrative.
/// Comments, processing instructions, prefixes and whitespace-only text are gone; adjacent text is
/// joined (a comment between two runs of text no longer separates them). Children of FHIR elements
/// are stably sorted by name: FHIR JSON keeps no order between differently named elements, and the
/// writer emits definition order even where an original does not (the Nictiz pdfa-Document*
/// examples put `identifier` before `masterIdentifier`). Same-named siblings and narrative keep
/// their order.
///
/// Built straight on libxml2, independently of the FHIR codecs it is used to check.
struct CanonicalXMLElement: Equatable, CustomStringConvertible {
    enum Child: Equatable {
        case element(CanonicalXMLElement)
        case text(String)
    }

    var name: String
    var attributes: [String]
    var children: [Child]

    /// Parses `bytes` (trusted test input, no DTDs) into its canonical form, or nil if not well-formed.
    static func parse(_ bytes: [UInt8]) -> CanonicalXMLElement? {
        let options = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
            | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress?.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlReadMemory($0, Int32(buffer.count), nil, "UTF-8", options)
            }
        }
        guard let document else { return nil }
        defer { xmlFreeDoc(document) }
        return xmlDocGetRootElement(document).map(CanonicalXMLElement.init(node:))
    }

    private init(node: xmlNodePtr) {
        name = Self.qualified(node.pointee.ns, node.pointee.name)
        var attributes: [String] = []
        var attribute = node.pointee.properties
        while let current = attribute {
            let name = Self.qualified(current.pointee.ns, current.pointee.name)
            if !name.hasPrefix("{http://www.w3.org/2001/XMLSchema-instance}") {
                let value = xmlNodeListGetString(node.pointee.doc, current.pointee.children, 1)
                attributes.append(name + "=" + (value.map { String(cString: $0) } ?? ""))
                free(value)
            }
            attribute = current.pointee.next
        }
        self.attributes = attributes.sorted()
        var children: [Child] = []
        var pendingText = ""
        func flushText() {
            if !pendingText.allSatisfy(\.isWhitespace) { children.append(.text(pendingText)) }
            pendingText = ""
        }
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                flushText()
                children.append(.element(CanonicalXMLElement(node: current)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                pendingText += current.pointee.content.map { String(cString: $0) } ?? ""
            default:
                break
            }
            child = current.pointee.next
        }
        flushText()
        if name.hasPrefix("{http://hl7.org/fhir}") {
            children = children.enumerated().sorted { left, right in
                (left.element.sortName, left.offset) < (right.element.sortName, right.offset)
            }.map(\.element)
        }
        self.children = children
    }

    private static func qualified(_ namespace: xmlNsPtr?, _ name: UnsafePointer<xmlChar>?) -> String {
        let local = name.map { String(cString: $0) } ?? ""
        guard let href = namespace?.pointee.href else { return local }
        return "{\(String(cString: href))}\(local)"
    }

    /// A path to the first place where two trees differ, for a failure message that can be acted on.
    func firstDifference(from other: CanonicalXMLElement, path: String = "") -> String? {
        let here = path + "/" + name
        if name != other.name { return "\(here): element \(name) became \(other.name)" }
        if attributes != other.attributes { return "\(here): attributes \(attributes) became \(other.attributes)" }
        for (index, (mine, theirs)) in zip(children, other.children).enumerated() {
            switch (mine, theirs) {
            case (.element(let a), .element(let b)):
                if let difference = a.firstDifference(from: b, path: here + "[\(index)]") { return difference }
            case (.text(let a), .text(let b)) where a == b:
                continue
            default:
                return "\(here)[\(index)]: \(mine) became \(theirs)"
            }
        }
        if children.count != other.children.count {
            return "\(here): \(children.count) children became \(other.children.count)"
        }
        return nil
    }

    var description: String {
        "<\(name) \(attributes.joined(separator: " "))> with \(children.count) children"
    }
}

extension CanonicalXMLElement.Child {
    fileprivate var sortName: String {
        switch self {
        case .element(let element): element.name
        case .text: ""
        }
    }
}
