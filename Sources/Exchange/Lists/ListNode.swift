internal import CLibXML2

/// Read access to one element of a parsed list. Only valid inside
/// ``ListLibXML/withValidatedRoot(of:schema:kind:_:)``, which frees the tree afterwards.
struct ListNode {
    private let pointer: xmlNodePtr

    init(_ pointer: xmlNodePtr) { self.pointer = pointer }

    var name: String { pointer.pointee.name.map { String(cString: $0) } ?? "" }

    var namespace: String? { pointer.pointee.ns?.pointee.href.map { String(cString: $0) } }

    var line: Int? {
        let line = Int(xmlGetLineNo(pointer))
        return line > 0 ? line : nil
    }

    /// Element children with this local name. The schema already pinned the namespace.
    func children(named wanted: String) -> [ListNode] {
        var found: [ListNode] = []
        var child = pointer.pointee.children
        while let node = child {
            if node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name, String(cString: name) == wanted {
                found.append(ListNode(node))
            }
            child = node.pointee.next
        }
        return found
    }

    /// The one child with this name; a validated list always has it, so absence is reported as a
    /// schema issue rather than trapping.
    func child(named wanted: String) throws(MedMijListError) -> ListNode {
        guard let first = children(named: wanted).first else {
            throw .invalidAgainstSchema([MedMijListIssue(line: line, message: "Element '\(name)': missing child '\(wanted)'")])
        }
        return first
    }

    /// The text directly inside this element (not its descendants), whitespace-trimmed: every
    /// simple type on the lists either collapses whitespace or forbids it by pattern.
    var ownText: String {
        var bytes: [UInt8] = []
        var child = pointer.pointee.children
        while let node = child {
            if node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE,
               let content = node.pointee.content {
                var index = 0
                while content[index] != 0 {
                    bytes.append(content[index])
                    index += 1
                }
            }
            child = node.pointee.next
        }
        return String(decoding: bytes, as: UTF8.self).trimmingXMLWhitespace()
    }

    /// The text of the named child.
    func text(of wanted: String) throws(MedMijListError) -> String { try child(named: wanted).ownText }

    func issue(_ message: String) -> MedMijListError {
        .invalidAgainstSchema([MedMijListIssue(line: line, message: "Element '\(name)': \(message)")])
    }
}

extension String {
    /// XML whitespace is exactly space, tab, CR and LF.
    func trimmingXMLWhitespace() -> String {
        let isXMLSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        return String(drop(while: isXMLSpace).reversed().drop(while: isXMLSpace).reversed())
    }
}
