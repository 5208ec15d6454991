import FHIR

/// The resource written as FHIR JSON, read back, written as FHIR XML and read back again, or the
/// error of the step that failed. Compare with ``canonicalOrder(_:)``: XML puts elements in schema order.
func roundTripThroughXML(_ resource: FHIRResource) -> Result<FHIRResource, any Error> {
    Result {
        let fromJSON = try FHIRJSON.parseResource(FHIRJSON.serialize(resource))
        return try FHIRXML.parseResource(FHIRXML.serialize(fromJSON))
    }
}

/// The value with every object's members sorted by key, so trees that differ only in order compare equal.
func canonicalOrder(_ value: FHIRValue) -> FHIRValue {
    switch value {
    case .object(let object):
        .object(FHIRObject(object.members.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: canonicalOrder($0.value)) }))
    case .array(let array): .array(array.map(canonicalOrder))
    default: value
    }
}
