import FHIR
@_spi(Fuzzing) import Gateway

// FHIR search parameters: a query string split and percent-decoded as the search route does
// (`QueryString.parse`, through `GatewayRequestParsing.pairs`), then `SearchQuery.parse` against the
// STU3 registry the gateway serves.
//
// Input: `<ResourceType>?<query>`, e.g. `Observation?code=http://loinc.org|85354-9&date=ge2020`.
// Without a known type before the `?`, the whole input is the query and its first byte picks the type.

let registry = SearchParameterRegistry.stu3
let resourceTypes = registry.resourceTypes.sorted()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard !bytes.isEmpty, !resourceTypes.isEmpty else { return 0 }
    // HTTP hands the route a String; invalid UTF-8 there is already replaced.
    let text = String(decoding: bytes, as: UTF8.self)
    var resourceType = resourceTypes[Int(bytes[0]) % resourceTypes.count]
    var query = Substring(text)
    if let mark = text.firstIndex(of: "?"), resourceTypes.contains(String(text[..<mark])) {
        resourceType = String(text[..<mark])
        query = text[text.index(after: mark)...]
    }
    for form in [false, true] {
        // A malformed percent-encoding is refused (400) before the parser sees anything.
        guard let pairs = try? GatewayRequestParsing.pairs(String(query), form: form) else { continue }
        // A thrown SearchQueryError is a refusal (400), not a finding.
        if let parsed = try? SearchQuery.parse(resourceType: resourceType, parameters: pairs, registry: registry) {
            precondition(parsed.resourceType == resourceType)
            precondition(parsed.count.map { $0 > 0 && $0 <= SearchQuery.maximumCount } ?? true, "_count out of range")
        }
    }
    return 0
}
