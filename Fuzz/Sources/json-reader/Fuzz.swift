import FHIR

// FHIR JSON reader: `FHIRJSON.parse` (any JSON value, the parser itself) and
// `FHIRJSON.parseResource` (a STU3 resource), as the gateway reads application/fhir+json bodies.
// What parses must be written back losslessly: the writer's output parses to the same value.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // A thrown FHIRParseError is a refusal of bad input, not a finding.
    guard let value = try? FHIRJSON.parse(bytes) else { return 0 }
    for pretty in [false, true] {
        let written = FHIRJSON.serialize(value, pretty: pretty)
        let reread: FHIRValue
        do {
            reread = try FHIRJSON.parse(written)
        } catch {
            fatalError("the writer's output (pretty: \(pretty)) does not parse: \(error)")
        }
        precondition(reread == value, "the writer's output (pretty: \(pretty)) parses to a different value")
    }
    if let resource = try? FHIRJSON.parseResource(bytes) {
        let written = FHIRJSON.serialize(resource)
        precondition((try? FHIRJSON.parseResource(written)) == resource, "a resource does not survive writing and reading")
    }
    return 0
}
