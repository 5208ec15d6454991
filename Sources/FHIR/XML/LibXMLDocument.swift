internal import CLibXML2

/// Parses bytes into a libxml2 tree with every network, file and entity feature off, and hands the
/// root element to a closure; the tree is freed when the closure returns.
///
/// Options: XML_PARSE_NONET (no network, ever); no XML_PARSE_NOENT, DTDLOAD, DTDATTR or DTDVALID,
/// so nothing outside the body is read and no entity is expanded; XML_PARSE_IGNORE_ENC, so an
/// `encoding=` in the declaration cannot make the body mean something other than the UTF-8 that
/// ``XMLSafety`` checked and scanned. SAX hooks stop the parser at a DOCTYPE, an entity declaration or an
/// entity resolution, in case the scan ever misses one.
enum LibXMLDocument {
    static let options: Int32 = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
        | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_IGNORE_ENC.rawValue)

    /// libxml2 must be initialised once before threads use it concurrently.
    private static let initialized: Void = { xmlInitParser() }()

    /// What the hooks saw during one parse; the parser context's `_private` points at it (libxml2
    /// never touches that field).
    private struct ParseState {
        enum Refusal { case doctype, entity }
        var refusal: Refusal?
        /// libxml2 keeps going after a fatal error and its "last error" is then some consequence
        /// ("Premature end of data"); the first one is what a person needs to see.
        var firstError: FHIRParseError?
    }

    /// Parses `bytes` (after the ``XMLSafety`` scan when `prescan` is true; tests turn it off to
    /// prove the hooks hold on their own) and runs `body` on the root element.
    static func withRootElement<T>(
        of bytes: UnsafeBufferPointer<UInt8>,
        prescan: Bool = true,
        _ body: (xmlNodePtr) throws(FHIRParseError) -> T
    ) throws(FHIRParseError) -> T {
        if prescan { try XMLSafety.check(bytes) }
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw FHIRParseError(.malformedXML("the document is empty"), line: 1, column: 1)
        }
        guard bytes.count <= Int(Int32.max) else {
            throw FHIRParseError(.malformedXML("the document is larger than 2 GiB"))
        }
        _ = initialized
        // A fresh memory context parsed with xmlParseDocument, rather than xmlCtxtReadMemory, which
        // resets the context it is given: the hooks and `_private` set below must stay as they are.
        let context = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            xmlCreateMemoryParserCtxt($0, Int32(bytes.count))
        }
        guard let context else { throw FHIRParseError(.malformedXML("libxml2 could not allocate a parser")) }
        let state = UnsafeMutablePointer<ParseState>.allocate(capacity: 1)
        state.initialize(to: ParseState())
        defer {
            if let document = context.pointee.myDoc { xmlFreeDoc(document) }
            xmlFreeParserCtxt(context)
            state.deinitialize(count: 1)
            state.deallocate()
        }
        context.pointee._private = UnsafeMutableRawPointer(state)
        installHooks(in: context)
        xmlCtxtUseOptions(context, options)
        xmlParseDocument(context)

        if let refusal = state.pointee.refusal {
            throw FHIRParseError(refusal == .doctype ? .doctypeForbidden : .entityForbidden)
        }
        if let error = state.pointee.firstError { throw error }
        guard context.pointee.wellFormed != 0, let document = context.pointee.myDoc else {
            throw FHIRParseError(.malformedXML("the document is not well-formed"))
        }
        guard let root = xmlDocGetRootElement(document) else {
            throw FHIRParseError(.malformedXML("the document has no root element"), line: 1, column: 1)
        }
        return try body(root)
    }

    private static func installHooks(in context: xmlParserCtxtPtr) {
        guard let sax = context.pointee.sax else { return }
        sax.pointee.internalSubset = { context, _, _, _ in LibXMLDocument.refuse(context, .doctype) }
        sax.pointee.externalSubset = { context, _, _, _ in LibXMLDocument.refuse(context, .doctype) }
        sax.pointee.entityDecl = { context, _, _, _, _, _ in LibXMLDocument.refuse(context, .entity) }
        sax.pointee.unparsedEntityDecl = { context, _, _, _, _ in LibXMLDocument.refuse(context, .entity) }
        sax.pointee.resolveEntity = { context, _, _ in
            LibXMLDocument.refuse(context, .entity)
            return nil
        }
        // A structured handler also keeps libxml2 from printing errors to stderr.
        sax.pointee.serror = { context, error in LibXMLDocument.record(error, in: context) }
    }

    /// For a context made by xmlCreateMemoryParserCtxt, the SAX user data is the context itself.
    private static func state(of userData: UnsafeMutableRawPointer?) -> (xmlParserCtxtPtr, UnsafeMutablePointer<ParseState>)? {
        guard let context = userData?.assumingMemoryBound(to: xmlParserCtxt.self),
              let state = context.pointee._private?.assumingMemoryBound(to: ParseState.self)
        else { return nil }
        return (context, state)
    }

    private static func refuse(_ userData: UnsafeMutableRawPointer?, _ refusal: ParseState.Refusal) {
        guard let (context, state) = state(of: userData) else { return }
        if state.pointee.refusal == nil { state.pointee.refusal = refusal }
        xmlStopParser(context)
    }

    private static func record(_ error: xmlErrorPtr?, in userData: UnsafeMutableRawPointer?) {
        guard let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue,
              let (context, state) = state(of: userData), state.pointee.firstError == nil
        else { return }
        let message = error.pointee.message.map { String(cString: $0) } ?? "the document is not well-formed"
        let trimmed = String(message.reversed().drop { $0 == "\n" || $0 == " " }.reversed())
        state.pointee.firstError = FHIRParseError(
            .malformedXML(trimmed),
            line: error.pointee.line > 0 ? Int(error.pointee.line) : nil,
            column: error.pointee.int2 > 0 ? Int(error.pointee.int2) : nil
        )
        xmlStopParser(context)
    }
}

/// Read access to libxml2 nodes in Swift terms.
extension UnsafeMutablePointer where Pointee == xmlNode {
    var isElement: Bool { pointee.type == XML_ELEMENT_NODE }

    var isText: Bool { pointee.type == XML_TEXT_NODE || pointee.type == XML_CDATA_SECTION_NODE }

    var localName: String { pointee.name.map { String(cString: $0) } ?? "" }

    var namespaceURI: String? { pointee.ns?.pointee.href.map { String(cString: $0) } }

    var line: Int { xmlGetLineNo(self) }

    /// Text and CDATA content.
    var textContent: String { pointee.content.map { String(cString: $0) } ?? "" }

    var children: XMLSiblings { XMLSiblings(first: pointee.children) }

    var attributes: [XMLAttribute] {
        var result: [XMLAttribute] = []
        var attribute = pointee.properties
        while let current = attribute {
            result.append(XMLAttribute(current))
            attribute = current.pointee.next
        }
        return result
    }

    /// The value of the attribute `name` without a namespace, such as `value` or `id`.
    func attribute(_ name: String) -> String? {
        attributes.value(of: name)
    }
}

extension [XMLAttribute] {
    /// The value of the attribute `name` without a namespace.
    func value(of name: String) -> String? {
        first { $0.name == name && $0.namespaceURI == nil }?.value
    }
}

/// One attribute, copied out of the tree.
struct XMLAttribute {
    let name: String
    let namespaceURI: String?
    let value: String

    init(_ attribute: UnsafeMutablePointer<xmlAttr>) {
        name = attribute.pointee.name.map { String(cString: $0) } ?? ""
        namespaceURI = attribute.pointee.ns?.pointee.href.map { String(cString: $0) }
        // Without entity substitution the value may be split over several text nodes.
        var value = ""
        var child = attribute.pointee.children
        while let current = child {
            if let content = current.pointee.content { value += String(cString: content) }
            child = current.pointee.next
        }
        self.value = value
    }
}

/// The children of a node, walked through libxml2's `next` pointers.
struct XMLSiblings: Sequence {
    let first: xmlNodePtr?

    func makeIterator() -> AnyIterator<xmlNodePtr> {
        var current = first
        return AnyIterator {
            guard let node = current else { return nil }
            current = node.pointee.next
            return node
        }
    }
}
