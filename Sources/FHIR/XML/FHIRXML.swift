/// FHIR XML (application/fhir+xml), read into and written from the same tree as FHIR JSON.
///
/// Reading refuses any DOCTYPE or entity declaration before libxml2 expands anything, never touches
/// the network or the file system, and drops comments and indentation (FHIR allows both).
///
/// ```swift
/// let xml = #"<Patient xmlns="http://hl7.org/fhir"><id value="p1"/><active value="true"/></Patient>"#
/// let patient = try FHIRXML.parseResource(Array(xml.utf8))
/// patient["active"]                            // .boolean(true)
/// FHIRJSON.serialize(patient)                  // {"resourceType":"Patient","id":"p1","active":true}
/// ```
public enum FHIRXML {
    /// The namespace of every FHIR element.
    public static let namespace = XMLReader.namespace

    /// How deeply elements may nest, as for JSON.
    public static let maximumDepth = FHIRJSON.maximumDepth

    /// Parses a STU3 resource from FHIR XML.
    ///
    /// ```swift
    /// try FHIRXML.parseResource(Array("<!DOCTYPE x []><x/>".utf8))  // throws doctypeForbidden
    /// ```
    public static func parseResource(_ bytes: [UInt8]) throws(FHIRParseError) -> FHIRResource {
        try parseResource(bytes, schema: .stu3)
    }

    /// Parses a resource of the release `schema` describes.
    public static func parseResource(_ bytes: [UInt8], schema: FHIRSchema) throws(FHIRParseError) -> FHIRResource {
        let reader = XMLReader(schema: schema, depthLimit: maximumDepth)
        let content = try bytes.withUnsafeBufferPointer { (buffer) throws(FHIRParseError) -> FHIRObject in
            try LibXMLDocument.withRootElement(of: buffer) { (root) throws(FHIRParseError) -> FHIRObject in
                try reader.readResource(root, depth: 0)
            }
        }
        return try FHIRJSON.resource(from: .object(content), schema: schema)
    }

    /// Writes a STU3 resource as FHIR XML with an XML declaration; `pretty` indents by two spaces.
    ///
    /// ```swift
    /// FHIRXML.serialize(patient)
    /// // <?xml version="1.0" encoding="UTF-8"?><Patient xmlns="http://hl7.org/fhir"><id value="p1"/></Patient>
    /// ```
    public static func serialize(_ resource: FHIRResource, pretty: Bool = false) -> [UInt8] {
        serialize(resource, schema: .stu3, pretty: pretty)
    }

    /// Writes a resource of the release `schema` describes.
    public static func serialize(_ resource: FHIRResource, schema: FHIRSchema, pretty: Bool = false) -> [UInt8] {
        var writer = XMLWriter(schema: schema, pretty: pretty)
        writer.writeDocument(resource.content)
        return writer.output.bytes
    }
}
