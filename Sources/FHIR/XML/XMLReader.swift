internal import CLibXML2

/// Maps a FHIR XML tree onto the JSON-shaped ``FHIRValue`` tree, asking the schema what XML cannot
/// say: which elements repeat, and which primitives are numbers or booleans.
///
/// The mapping is the one in FHIR's JSON and XML pages: `value` attributes become primitives, the
/// `id` attribute and `extension` children of a primitive go into its `_name` object (arrays aligned
/// with nulls), `div` becomes a string of XHTML, and resource slots hold an object with
/// `resourceType`. Elements the schema does not know are kept, so that nothing is lost.
struct XMLReader {
    static let namespace = "http://hl7.org/fhir"
    private static let schemaInstanceNamespace = "http://www.w3.org/2001/XMLSchema-instance"

    let schema: FHIRSchema
    let depthLimit: Int
    /// Used for the children of elements the schema does not know: they may still carry extensions.
    private let fallbackType: FHIRSchema.TypeDefinition?
    private let primitiveExtrasType: FHIRSchema.TypeDefinition?

    init(schema: FHIRSchema, depthLimit: Int) {
        self.schema = schema
        self.depthLimit = depthLimit
        self.fallbackType = schema.type(named: "BackboneElement")
        self.primitiveExtrasType = schema.type(named: "Element")
    }

    /// Reads a resource element such as `<Patient xmlns="http://hl7.org/fhir">`.
    func readResource(_ element: xmlNodePtr, depth: Int) throws(FHIRParseError) -> FHIRObject {
        let name = element.localName
        guard element.namespaceURI == Self.namespace else {
            throw structureError("<\(name)> is not in the FHIR namespace \(Self.namespace)", at: element)
        }
        guard schema.isResourceType(name) else {
            throw FHIRParseError(.unknownResourceType(name), line: element.line)
        }
        try checkAttributes(element.attributes, of: element, allowed: [])
        var object = FHIRObject([FHIRObject.Member(key: "resourceType", value: .string(name))])
        try readChildren(of: element, type: schema.type(named: name), into: &object, depth: depth)
        return object
    }

    // MARK: - Children

    private func readChildren(
        of element: xmlNodePtr, type: FHIRSchema.TypeDefinition?, into object: inout FHIRObject, depth: Int
    ) throws(FHIRParseError) {
        guard depth < depthLimit else { throw FHIRParseError(.tooDeep(limit: depthLimit), line: element.line) }
        for group in try childGroups(of: element) {
            let definition = type?.element(named: group.name) ?? fallbackType?.element(named: group.name)
            try read(group, definition: definition, parent: element, into: &object, depth: depth + 1)
        }
    }

    /// Child elements grouped by name in order of first appearance: a repeating element becomes one
    /// JSON array however its XML occurrences were spread.
    private func childGroups(of element: xmlNodePtr) throws(FHIRParseError) -> [(name: String, nodes: [xmlNodePtr])] {
        var groups: [(name: String, nodes: [xmlNodePtr])] = []
        var positions: [String: Int] = [:]
        for child in element.children {
            if child.isText {
                guard child.textContent.utf8.allSatisfy(Self.isXMLWhitespace) else {
                    throw structureError("text is not allowed inside <\(element.localName)>", at: child)
                }
                continue
            }
            guard child.isElement else { continue }  // comments and processing instructions
            let name = child.localName
            // Both would be read as something else once the tree is JSON-shaped: `_x` as the id and
            // extensions of primitive `x`, and `resourceType` as the type of the resource itself.
            if name.hasPrefix("_") {
                throw structureError("<\(name)> is not a FHIR element: element names never start with '_'", at: child)
            }
            if name == "resourceType" {
                throw structureError("<resourceType> is not a FHIR element: in XML the resource type is the element's own name", at: child)
            }
            if let position = positions[name] {
                groups[position].nodes.append(child)
            } else {
                positions[name] = groups.count
                groups.append((name, [child]))
            }
        }
        return groups
    }

    private func read(
        _ group: (name: String, nodes: [xmlNodePtr]), definition: FHIRSchema.ElementDefinition?,
        parent: xmlNodePtr, into object: inout FHIRObject, depth: Int
    ) throws(FHIRParseError) {
        let name = group.name
        let isArray = definition?.isArray ?? (group.nodes.count > 1)
        if !isArray, group.nodes.count > 1 {
            throw structureError("<\(name)> may appear only once in <\(parent.localName)>", at: group.nodes[1])
        }
        let kind = definition?.kind ?? guessedKind(of: group.nodes)
        if kind != .xhtml {
            for node in group.nodes where node.namespaceURI != Self.namespace {
                throw structureError("<\(name)> is not in the FHIR namespace \(Self.namespace)", at: node)
            }
        }
        switch kind {
        case .primitive(let jsonKind):
            try readPrimitives(group.nodes, name: name, kind: jsonKind, isArray: isArray, into: &object, depth: depth)
        case .xhtml:
            let values = try group.nodes.map { (node) throws(FHIRParseError) -> FHIRValue in try readXHTML(node) }
            object[name] = isArray ? .array(values) : values[0]
        case .resource:
            let values = try group.nodes.map { (node) throws(FHIRParseError) -> FHIRValue in
                .object(try readResourceSlot(node, depth: depth))
            }
            object[name] = isArray ? .array(values) : values[0]
        case .complex:
            let type = definition.flatMap { schema.type(named: $0.typeCode) } ?? fallbackType
            let values = try group.nodes.map { (node) throws(FHIRParseError) -> FHIRValue in
                .object(try readComplex(node, type: type, depth: depth))
            }
            object[name] = isArray ? .array(values) : values[0]
        }
    }

    /// An element unknown to the schema is a primitive when it carries a value, else an object.
    private func guessedKind(of nodes: [xmlNodePtr]) -> FHIRSchema.ElementDefinition.Kind {
        nodes.contains { $0.attribute("value") != nil } ? .primitive(.string) : .complex
    }

    private func readComplex(
        _ element: xmlNodePtr, type: FHIRSchema.TypeDefinition?, depth: Int
    ) throws(FHIRParseError) -> FHIRObject {
        let isExtension = type?.name == "Extension"
        let attributes = element.attributes
        try checkAttributes(attributes, of: element, allowed: isExtension ? ["id", "url"] : ["id"])
        var object = FHIRObject()
        if let id = attributes.value(of: "id") { object["id"] = .string(id) }
        if isExtension, let url = attributes.value(of: "url") { object["url"] = .string(url) }
        try readChildren(of: element, type: type, into: &object, depth: depth)
        return object
    }

    private func readResourceSlot(_ element: xmlNodePtr, depth: Int) throws(FHIRParseError) -> FHIRObject {
        try checkAttributes(element.attributes, of: element, allowed: [])
        var resources: [xmlNodePtr] = []
        for child in element.children {
            if child.isElement {
                resources.append(child)
            } else if child.isText, !child.textContent.utf8.allSatisfy(Self.isXMLWhitespace) {
                throw structureError("text is not allowed inside <\(element.localName)>", at: child)
            }
        }
        guard resources.count == 1 else {
            throw structureError("<\(element.localName)> must hold exactly one resource, found \(resources.count)", at: element)
        }
        guard depth < depthLimit else { throw FHIRParseError(.tooDeep(limit: depthLimit), line: element.line) }
        return try readResource(resources[0], depth: depth + 1)
    }

    private func readXHTML(_ element: xmlNodePtr) throws(FHIRParseError) -> FHIRValue {
        guard element.localName == "div", element.namespaceURI == XHTMLSerializer.namespace else {
            throw structureError("narrative must be a <div> in the XHTML namespace \(XHTMLSerializer.namespace)", at: element)
        }
        return .string(XHTMLSerializer.serialize(element))
    }

    // MARK: - Primitives

    /// Writes `name` (the values) and `_name` (ids and extensions) the way FHIR JSON does; in arrays
    /// both are aligned by position, with null where an occurrence has no value or no extras.
    private func readPrimitives(
        _ nodes: [xmlNodePtr], name: String, kind: FHIRSchema.ElementDefinition.JSONKind,
        isArray: Bool, into object: inout FHIRObject, depth: Int
    ) throws(FHIRParseError) {
        var values: [FHIRValue] = []
        var extras: [FHIRValue] = []
        for node in nodes {
            let attributes = node.attributes
            try checkAttributes(attributes, of: node, allowed: ["id", "value"])
            let text = attributes.value(of: "value")
            let value = try text.map { (text) throws(FHIRParseError) -> FHIRValue in
                try typedValue(text, kind: kind, element: name, node: node)
            }
            var extra = FHIRObject()
            if let id = attributes.value(of: "id") { extra["id"] = .string(id) }
            try readChildren(of: node, type: primitiveExtrasType, into: &extra, depth: depth)
            // An occurrence with neither value nor extras still existed; an empty object keeps it.
            let keepsEmpty = value == nil && extra.isEmpty
            values.append(value ?? .null)
            extras.append(extra.isEmpty && !keepsEmpty ? .null : .object(extra))
        }
        if isArray {
            if values.contains(where: { !$0.isNull }) { object[name] = .array(values) }
            if extras.contains(where: { !$0.isNull }) { object["_" + name] = .array(extras) }
        } else {
            if !values[0].isNull { object[name] = values[0] }
            if !extras[0].isNull { object["_" + name] = extras[0] }
        }
    }

    private func typedValue(
        _ text: String, kind: FHIRSchema.ElementDefinition.JSONKind, element: String, node: xmlNodePtr
    ) throws(FHIRParseError) -> FHIRValue {
        switch kind {
        case .string:
            return .string(text)
        case .boolean:
            switch text {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default:
                throw FHIRParseError(.invalidPrimitive(element: element, value: text, expected: "true or false"), line: node.line)
            }
        case .number:
            guard let number = FHIRNumber(text: text) else {
                throw FHIRParseError(.invalidPrimitive(element: element, value: text, expected: "a number"), line: node.line)
            }
            return .number(number)
        }
    }

    // MARK: - Checks

    /// FHIR elements carry only the attributes FHIR defines; xsi: hints such as schemaLocation are
    /// for validators and dropped.
    private func checkAttributes(
        _ attributes: [XMLAttribute], of element: xmlNodePtr, allowed: Set<String>
    ) throws(FHIRParseError) {
        for attribute in attributes where attribute.namespaceURI != Self.schemaInstanceNamespace {
            guard attribute.namespaceURI == nil, allowed.contains(attribute.name) else {
                throw structureError("attribute '\(attribute.name)' is not allowed on <\(element.localName)>", at: element)
            }
        }
    }

    private func structureError(_ message: String, at node: xmlNodePtr) -> FHIRParseError {
        FHIRParseError(.invalidStructure(message), line: node.line)
    }

    private static func isXMLWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
