import FHIR

// FHIR XML reader: `FHIRXML.parseResource` (libxml2 with the DOCTYPE/entity refusals, then the
// schema-driven mapping to the FHIR tree), as the gateway reads application/fhir+xml bodies.
// A resource read from XML must be writable as XML and JSON; the XML must read back, and write the
// same bytes again (the writer puts known elements in schema order and unknown ones after them, so
// the tree read back may order members differently, but writing is then stable).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // A thrown FHIRParseError is a refusal of bad input, not a finding.
    guard let resource = try? FHIRXML.parseResource(bytes) else { return 0 }
    let xml = FHIRXML.serialize(resource)
    let reread: FHIRResource
    do {
        reread = try FHIRXML.parseResource(xml)
    } catch {
        fatalError("the XML writer's output does not parse: \(error)")
    }
    precondition(reread.resourceType == resource.resourceType && reread.id == resource.id, "the XML read back is another resource")
    precondition(FHIRXML.serialize(reread) == xml, "writing the XML read back gives different XML")
    _ = FHIRXML.serialize(resource, pretty: true)
    _ = FHIRJSON.serialize(resource, pretty: true)
    return 0
}
