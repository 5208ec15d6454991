/// The two wire formats of FHIR, for code that picks one from a request's Accept or Content-Type.
///
/// ```swift
/// let format = FHIRFormat.xml
/// format.mediaType                                   // "application/fhir+xml"
/// let resource = try format.parseResource(body)
/// let reply = FHIRFormat.json.serialize(resource)
/// ```
public enum FHIRFormat: String, Sendable, Hashable, CaseIterable {
    case json, xml

    /// The FHIR media type of the format, without parameters.
    public var mediaType: String {
        switch self {
        case .json: "application/fhir+json"
        case .xml: "application/fhir+xml"
        }
    }

    /// Parses a resource written in this format.
    ///
    /// ```swift
    /// let patient = try FHIRFormat.json.parseResource(Array(#"{"resourceType":"Patient"}"#.utf8))
    /// ```
    public func parseResource(_ bytes: [UInt8]) throws(FHIRParseError) -> FHIRResource {
        switch self {
        case .json: try FHIRJSON.parseResource(bytes)
        case .xml: try FHIRXML.parseResource(bytes)
        }
    }

    /// Writes a resource in this format.
    ///
    /// ```swift
    /// let bytes = FHIRFormat.xml.serialize(patient, pretty: true)
    /// ```
    public func serialize(_ r: FHIRResource, pretty: Bool = false) -> [UInt8] {
        switch self {
        case .json: FHIRJSON.serialize(r, pretty: pretty)
        case .xml: FHIRXML.serialize(r, pretty: pretty)
        }
    }
}
