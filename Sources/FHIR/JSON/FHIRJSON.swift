/// FHIR JSON (application/fhir+json), read and written losslessly.
///
/// ```swift
/// let patient = try FHIRJSON.parseResource(Array(#"{"resourceType":"Patient","id":"p1"}"#.utf8))
/// patient.id                                    // "p1"
/// FHIRJSON.serialize(patient)                   // the same bytes back
/// ```
public enum FHIRJSON {
    /// How deeply objects and arrays may nest. Real FHIR resources stay far below it (a deeply
    /// nested Questionnaire reaches about 30); the limit keeps hostile input from exhausting the stack.
    public static let maximumDepth = 128

    /// Parses any JSON value, keeping number text and member order.
    ///
    /// ```swift
    /// let value = try FHIRJSON.parse(Array(#"{"value": 1.00}"#.utf8))
    /// value["value"]?.numberValue?.text  // "1.00"
    /// ```
    public static func parse(_ bytes: [UInt8]) throws(FHIRParseError) -> FHIRValue {
        try parse(bytes, depthLimit: maximumDepth)
    }

    static func parse(_ bytes: [UInt8], depthLimit: Int) throws(FHIRParseError) -> FHIRValue {
        let result: Result<FHIRValue, FHIRParseError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer, depthLimit: depthLimit)
            do throws(FHIRParseError) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses a resource: a top-level object whose `resourceType` names a STU3 resource type.
    ///
    /// ```swift
    /// try FHIRJSON.parseResource(Array(#"{"resourceType":"Foo"}"#.utf8))  // throws unknownResourceType("Foo")
    /// ```
    public static func parseResource(_ bytes: [UInt8]) throws(FHIRParseError) -> FHIRResource {
        try parseResource(bytes, schema: .stu3)
    }

    /// Parses a resource of the release `schema` describes.
    public static func parseResource(_ bytes: [UInt8], schema: FHIRSchema) throws(FHIRParseError) -> FHIRResource {
        try resource(from: parse(bytes), schema: schema)
    }

    /// Checks that a parsed value is a resource of a known type.
    static func resource(from value: FHIRValue, schema: FHIRSchema) throws(FHIRParseError) -> FHIRResource {
        guard case .object(let object) = value else {
            throw FHIRParseError(.notAResource("the top-level value must be a JSON object"))
        }
        guard let type = object["resourceType"] else {
            throw FHIRParseError(.notAResource("the object has no resourceType"))
        }
        guard let name = type.stringValue else {
            throw FHIRParseError(.notAResource("resourceType must be a string"))
        }
        guard schema.isResourceType(name) else { throw FHIRParseError(.unknownResourceType(name)) }
        do {
            return try FHIRResource(object)
        } catch {
            throw FHIRParseError(.notAResource(error.description))
        }
    }

    /// Writes a value as JSON: compact by default, indented by two spaces when `pretty`.
    ///
    /// ```swift
    /// FHIRJSON.serialize(["a": "x\"y"])  // {"a":"x\"y"}
    /// ```
    public static func serialize(_ value: FHIRValue, pretty: Bool = false) -> [UInt8] {
        var writer = JSONWriter(pretty: pretty)
        writer.write(value)
        return writer.output
    }

    /// Writes a resource as JSON.
    ///
    /// ```swift
    /// let bytes = FHIRJSON.serialize(patient, pretty: true)
    /// ```
    public static func serialize(_ resource: FHIRResource, pretty: Bool = false) -> [UInt8] {
        serialize(.object(resource.content), pretty: pretty)
    }
}
