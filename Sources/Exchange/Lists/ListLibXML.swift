internal import CLibXML2

/// libxml2 for the lists: a safe parse, then XSD validation collecting every error with its line.
///
/// Parse options: XML_PARSE_NONET (never the network); no NOENT, DTDLOAD, DTDATTR or DTDVALID, so
/// nothing outside the body is read and no entity expanded; IGNORE_ENC, so an `encoding=` cannot make
/// the bytes mean something other than the UTF-8 the prescan read; BIG_LINES, so lines past 65535
/// are still reported correctly. SAX hooks stop the parser at any DOCTYPE or entity declaration.
///
/// Errors are collected through structured handlers whose user data points at a per-call buffer,
/// so no global libxml2 handler state is touched and concurrent validations do not interfere.
enum ListLibXML {
    static let parseOptions = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_IGNORE_ENC.rawValue | XML_PARSE_BIG_LINES.rawValue)

    /// A hostile list could produce an error per element; the first hundred say enough.
    static let maximumIssues = 100

    /// libxml2 must be initialised once before threads use it concurrently.
    private static let initialized: Void = { xmlInitParser() }()

    /// Per-call error buffer reached through libxml2's user-data pointer.
    private struct Collector {
        var issues: [MedMijListIssue] = []
        var refusal: MedMijListError.UnsafeReason?
    }

    /// Compiles `schema` only, to report a broken XSD at start-up rather than on the first list.
    static func checkSchema(_ schema: [UInt8], kind: MedMijListKind) throws(MedMijListError) {
        _ = initialized
        let compiled = try compile(schema, kind: kind)
        xmlSchemaFree(compiled)
    }

    /// Prescans, parses and validates `bytes` against `schema`, then runs `body` on the root element.
    static func withValidatedRoot<T>(
        of bytes: [UInt8], schema: [UInt8], kind: MedMijListKind,
        _ body: (ListNode) throws(MedMijListError) -> T
    ) throws(MedMijListError) -> T {
        try ListXMLPrescan.check(bytes)
        guard !bytes.isEmpty, bytes.count <= Int(Int32.max) else {
            throw .malformedXML(MedMijListIssue(line: nil, message: "the document is empty or larger than 2 GiB"))
        }
        _ = initialized
        let document = try parse(bytes)
        defer { xmlFreeDoc(document) }
        guard let rootPointer = xmlDocGetRootElement(document) else {
            throw .malformedXML(MedMijListIssue(line: 1, message: "the document has no root element"))
        }
        let root = ListNode(rootPointer)
        // Checked before the schema so that the right list in the wrong slot gets a clear refusal
        // rather than "no matching global declaration".
        if let found = MedMijListKind.identifying(rootElement: root.name, namespace: root.namespace), found != kind {
            throw .wrongList(expected: kind, found: found)
        }
        try validate(document, against: schema, kind: kind)
        return try body(root)
    }

    private static func parse(_ bytes: [UInt8]) throws(MedMijListError) -> xmlDocPtr {
        // A fresh memory context run with xmlParseDocument (xmlCtxtReadMemory would reset the hooks).
        let made = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlCreateMemoryParserCtxt($0, Int32(buffer.count))
                }
            }
        }
        guard let context = made else {
            throw .malformedXML(MedMijListIssue(line: nil, message: "libxml2 could not allocate a parser"))
        }
        let collector = UnsafeMutablePointer<Collector>.allocate(capacity: 1)
        collector.initialize(to: Collector())
        defer {
            xmlFreeParserCtxt(context)
            collector.deinitialize(count: 1)
            collector.deallocate()
        }
        context.pointee._private = UnsafeMutableRawPointer(collector)
        if let sax = context.pointee.sax {
            sax.pointee.internalSubset = { context, _, _, _ in ListLibXML.refuse(context, .doctype) }
            sax.pointee.externalSubset = { context, _, _, _ in ListLibXML.refuse(context, .doctype) }
            sax.pointee.entityDecl = { context, _, _, _, _, _ in ListLibXML.refuse(context, .entity) }
            sax.pointee.unparsedEntityDecl = { context, _, _, _, _ in ListLibXML.refuse(context, .entity) }
            sax.pointee.resolveEntity = { context, _, _ in
                ListLibXML.refuse(context, .entity)
                return nil
            }
            sax.pointee.serror = { context, error in ListLibXML.recordParseError(error, in: context) }
        }
        xmlCtxtUseOptions(context, parseOptions)
        xmlParseDocument(context)

        let document = context.pointee.myDoc
        context.pointee.myDoc = nil  // ours now: freed by the caller, or below on failure
        if let refusal = collector.pointee.refusal {
            if let document { xmlFreeDoc(document) }
            throw .unsafeXML(refusal, line: Int(xmlSAX2GetLineNumber(context)))
        }
        guard context.pointee.wellFormed != 0, let document else {
            if let document { xmlFreeDoc(document) }
            throw .malformedXML(collector.pointee.issues.first
                ?? MedMijListIssue(line: nil, message: "the document is not well-formed"))
        }
        return document
    }

    private static func compile(_ schema: [UInt8], kind: MedMijListKind) throws(MedMijListError) -> xmlSchemaPtr {
        let collector = UnsafeMutablePointer<Collector>.allocate(capacity: 1)
        collector.initialize(to: Collector())
        defer {
            collector.deinitialize(count: 1)
            collector.deallocate()
        }
        let parserContext = schema.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlSchemaNewMemParserCtxt($0, Int32(buffer.count))
                }
            }
        }
        guard let parserContext else { throw .schemaUnavailable(kind, reason: "the XSD is empty or could not be read") }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        xmlSchemaSetParserStructuredErrors(parserContext, { userData, error in
            ListLibXML.collect(error, into: userData)
        }, UnsafeMutableRawPointer(collector))
        guard let compiled = xmlSchemaParse(parserContext) else {
            let reasons = collector.pointee.issues.map(\.description).joined(separator: "; ")
            throw .schemaUnavailable(kind, reason: reasons.isEmpty ? "the XSD does not compile" : reasons)
        }
        return compiled
    }

    private static func validate(_ document: xmlDocPtr, against schema: [UInt8], kind: MedMijListKind) throws(MedMijListError) {
        // Compiled per call: a list arrives every few minutes at most, and a compiled xmlSchema
        // shared across threads would need an @unchecked Sendable box to prove nothing.
        let compiled = try compile(schema, kind: kind)
        defer { xmlSchemaFree(compiled) }
        guard let validContext = xmlSchemaNewValidCtxt(compiled) else {
            throw .schemaUnavailable(kind, reason: "libxml2 could not allocate a validation context")
        }
        defer { xmlSchemaFreeValidCtxt(validContext) }
        let collector = UnsafeMutablePointer<Collector>.allocate(capacity: 1)
        collector.initialize(to: Collector())
        defer {
            collector.deinitialize(count: 1)
            collector.deallocate()
        }
        xmlSchemaSetValidStructuredErrors(validContext, { userData, error in
            ListLibXML.collect(error, into: userData)
        }, UnsafeMutableRawPointer(collector))
        let result = xmlSchemaValidateDoc(validContext, document)
        let issues = collector.pointee.issues
        if result != 0 || !issues.isEmpty {
            throw .invalidAgainstSchema(issues.isEmpty
                ? [MedMijListIssue(line: nil, message: "libxml2 reported validation failure \(result) without a message")]
                : issues)
        }
    }

    // MARK: C callbacks (non-capturing; all state arrives through the user-data pointer)

    private static func issue(from error: xmlErrorPtr?) -> MedMijListIssue? {
        guard let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return nil }
        let message = error.pointee.message.map { String(cString: $0) } ?? "unknown libxml2 error"
        let trimmed = String(message.reversed().drop { $0 == "\n" || $0 == " " }.reversed())
        return MedMijListIssue(line: error.pointee.line > 0 ? Int(error.pointee.line) : nil, message: trimmed)
    }

    private static func collect(_ error: xmlErrorPtr?, into userData: UnsafeMutableRawPointer?) {
        guard let collector = userData?.assumingMemoryBound(to: Collector.self), let issue = issue(from: error),
              collector.pointee.issues.count < maximumIssues
        else { return }
        collector.pointee.issues.append(issue)
    }

    /// For a context made by xmlCreateMemoryParserCtxt, the SAX user data is the context itself.
    private static func collector(of userData: UnsafeMutableRawPointer?) -> (xmlParserCtxtPtr, UnsafeMutablePointer<Collector>)? {
        guard let context = userData?.assumingMemoryBound(to: xmlParserCtxt.self),
              let collector = context.pointee._private?.assumingMemoryBound(to: Collector.self)
        else { return nil }
        return (context, collector)
    }

    private static func refuse(_ userData: UnsafeMutableRawPointer?, _ reason: MedMijListError.UnsafeReason) {
        guard let (context, collector) = collector(of: userData) else { return }
        if collector.pointee.refusal == nil { collector.pointee.refusal = reason }
        xmlStopParser(context)
    }

    /// Keeps the first parse error: after a fatal one libxml2's later errors are consequences.
    private static func recordParseError(_ error: xmlErrorPtr?, in userData: UnsafeMutableRawPointer?) {
        guard let (context, collector) = collector(of: userData), collector.pointee.issues.isEmpty,
              let issue = issue(from: error)
        else { return }
        collector.pointee.issues.append(issue)
        xmlStopParser(context)
    }
}
