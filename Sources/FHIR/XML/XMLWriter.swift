internal import CLibXML2

/// Writes a resource as FHIR XML: elements in schema definition order (unknown ones last, in their
/// JSON order), `id` and `Extension.url` as attributes, primitives as `value` attributes with their
/// `_name` extras merged back in, and narrative as embedded XHTML.
///
/// The input is any ``FHIRValue`` tree, not necessarily a valid resource, so every shape the schema
/// does not expect is still written as faithfully as XML allows rather than dropped.
struct XMLWriter {
    private(set) var output = XMLBytes()
    let schema: FHIRSchema
    let pretty: Bool
    private let primitiveExtrasType: FHIRSchema.TypeDefinition?

    init(schema: FHIRSchema, pretty: Bool) {
        self.schema = schema
        self.pretty = pretty
        self.primitiveExtrasType = schema.type(named: "Element")
        output.bytes.reserveCapacity(4096)
    }

    mutating func writeDocument(_ resource: FHIRObject) {
        output.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        writeResource(resource, indent: 0, declaresNamespace: true)
        if pretty { output.append(UInt8(ascii: "\n")) }
    }

    private mutating func writeResource(_ resource: FHIRObject, indent: Int, declaresNamespace: Bool) {
        let name = resource["resourceType"]?.stringValue ?? "Resource"
        startLine(indent)
        output.append("<")
        output.append(name)
        if declaresNamespace { output.append(" xmlns=\"\(XMLReader.namespace)\"") }
        writeContent(of: resource, type: schema.type(named: name), name: name, indent: indent, attributes: ["resourceType"])
    }

    /// Finishes an open start tag: the children in schema order, then the end tag (or `/>`).
    private mutating func writeContent(
        of object: FHIRObject, type: FHIRSchema.TypeDefinition?, name: String, indent: Int, attributes: Set<String>
    ) {
        let children = childNames(of: object, type: type, excluding: attributes)
        guard !children.isEmpty else {
            output.append("/>")
            return
        }
        output.append(">")
        for child in children {
            writeElement(child, of: object, definition: type?.element(named: child), indent: indent + 1)
        }
        startLine(indent)
        output.append("</")
        output.append(name)
        output.append(">")
    }

    /// Element names (without `_`) in the order FHIR XML requires them.
    private func childNames(of object: FHIRObject, type: FHIRSchema.TypeDefinition?, excluding: Set<String>) -> [String] {
        var known: [(position: Int, name: String)] = []
        var unknown: [String] = []
        var seen = Set<String>()
        for member in object.members where !excluding.contains(member.key) {
            let name = member.key.hasPrefix("_") ? String(member.key.dropFirst()) : member.key
            guard seen.insert(name).inserted else { continue }
            if let position = type?.position(of: name) {
                known.append((position, name))
            } else {
                unknown.append(name)
            }
        }
        return known.sorted { $0.position < $1.position }.map(\.name) + unknown
    }

    private mutating func writeElement(
        _ name: String, of object: FHIRObject, definition: FHIRSchema.ElementDefinition?, indent: Int
    ) {
        let value = object[name]
        let extras = object["_" + name]
        switch definition?.kind {
        case .xhtml?:
            for item in value?.elements ?? [] { writeXHTML(item, indent: indent) }
        case .resource?:
            for item in value?.elements ?? [] {
                guard let resource = item.objectValue else { continue }
                startLine(indent)
                output.append("<\(name)>")
                writeResource(resource, indent: indent + 1, declaresNamespace: false)
                startLine(indent)
                output.append("</\(name)>")
            }
        default:
            let typeName = definition.flatMap { $0.isPrimitive ? nil : $0.typeCode }
            writeOccurrences(name, values: value?.elements ?? [], extras: extras?.elements ?? [], typeName: typeName, indent: indent)
        }
    }

    /// Writes each occurrence by its JSON shape: objects as complex elements, everything else as a
    /// primitive whose extras come from the `_name` entry at the same position.
    private mutating func writeOccurrences(
        _ name: String, values: [FHIRValue], extras: [FHIRValue], typeName: String?, indent: Int
    ) {
        for position in 0..<max(values.count, extras.count) {
            let value = position < values.count ? values[position] : .null
            let extra = position < extras.count ? extras[position].objectValue : nil
            if let object = value.objectValue {
                writeComplex(name, object, type: typeName.flatMap(schema.type(named:)), indent: indent)
            } else if value.arrayValue == nil {
                writePrimitive(name, value: value, extras: extra, indent: indent)
            }
        }
    }

    private mutating func writeComplex(_ name: String, _ object: FHIRObject, type: FHIRSchema.TypeDefinition?, indent: Int) {
        startLine(indent)
        output.append("<")
        output.append(name)
        var attributes = Set<String>()
        if let id = object["id"]?.stringValue {
            writeAttribute("id", id)
            attributes.insert("id")
        }
        if type?.name == "Extension", let url = object["url"]?.stringValue {
            writeAttribute("url", url)
            attributes.insert("url")
        }
        writeContent(of: object, type: type, name: name, indent: indent, attributes: attributes)
    }

    private mutating func writePrimitive(_ name: String, value: FHIRValue, extras: FHIRObject?, indent: Int) {
        let text: String? = switch value {
        case .string(let string): string
        case .number(let number): number.text
        case .boolean(let bool): bool ? "true" : "false"
        default: nil
        }
        guard text != nil || extras != nil else { return }
        startLine(indent)
        output.append("<")
        output.append(name)
        var attributes: Set<String> = []
        if let id = extras?["id"]?.stringValue {
            writeAttribute("id", id)
            attributes.insert("id")
        }
        if let text { writeAttribute("value", text) }
        writeContent(of: extras ?? FHIRObject(), type: primitiveExtrasType, name: name, indent: indent, attributes: attributes)
    }

    private mutating func writeAttribute(_ name: String, _ value: String) {
        output.append(" ")
        output.append(name)
        output.append("=\"")
        output.appendEscaped(value, inAttribute: true)
        output.append("\"")
    }

    /// Narrative is re-parsed (with the same safety rules as any XML input) and re-serialised, so
    /// that what is embedded is well-formed and in the XHTML namespace. Text that is not XHTML is
    /// kept as the text of a div rather than dropped.
    private mutating func writeXHTML(_ value: FHIRValue, indent: Int) {
        guard let markup = value.stringValue else { return }
        startLine(indent)
        let bytes = Array(markup.utf8)
        let serialized: String? = try? bytes.withUnsafeBufferPointer { (buffer) throws(FHIRParseError) -> String in
            try LibXMLDocument.withRootElement(of: buffer) { (root) throws(FHIRParseError) -> String in
                XHTMLSerializer.serialize(root)
            }
        }
        if let serialized {
            output.append(serialized)
        } else {
            output.append("<div xmlns=\"\(XHTMLSerializer.namespace)\">")
            output.appendEscaped(markup, inAttribute: false)
            output.append("</div>")
        }
    }

    private mutating func startLine(_ indent: Int) {
        guard pretty else { return }
        output.append(UInt8(ascii: "\n"))
        output.bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }
}
