import FHIR
import Testing

private func parse(_ xml: String) throws(FHIRParseError) -> FHIRResource {
    try FHIRXML.parseResource(Array(xml.utf8))
}

private let fhir = #"xmlns="http://hl7.org/fhir""#

@Suite("FHIR XML reports malformed and non-FHIR documents precisely")
struct XMLErrorTests {
    @Test("malformed XML carries libxml2's line and column")
    func malformedXMLHasPosition() {
        let xml = "<Patient \(fhir)>\n  <id value=\"x\">\n</Patient>"
        let error = #expect(throws: FHIRParseError.self) { try parse(xml) }
        guard case .malformedXML(let message)? = error?.reason else {
            Issue.record("expected malformedXML, got \(String(describing: error))")
            return
        }
        #expect(message.contains("mismatch"))
        #expect(error?.line == 3)
        #expect(error?.column != nil)
    }

    @Test("an empty body is malformed")
    func emptyBody() {
        #expect(throws: FHIRParseError(.malformedXML("the document is empty"), line: 1, column: 1)) { try parse("") }
    }

    @Test("primitives whose text does not fit their type name the element", arguments: [
        ("<Patient \(fhir)><active value=\"yes\"/></Patient>", "active", "yes", "true or false"),
        ("<Patient \(fhir)><multipleBirthInteger value=\"two\"/></Patient>", "multipleBirthInteger", "two", "a number"),
        ("<Observation \(fhir)><valueQuantity><value value=\"1,5\"/></valueQuantity></Observation>", "value", "1,5", "a number"),
        ("<Observation \(fhir)><valueQuantity><value value=\" 1\"/></valueQuantity></Observation>", "value", " 1", "a number"),
    ])
    func invalidPrimitive(xml: String, element: String, value: String, expected: String) {
        #expect(throws: FHIRParseError(.invalidPrimitive(element: element, value: value, expected: expected), line: 1)) {
            try parse(xml)
        }
    }

    @Test("documents that are XML but not FHIR are refused with a reason", arguments: [
        ("<Foo \(fhir)/>", FHIRParseError.Reason.unknownResourceType("Foo")),
        ("<Patient/>", .invalidStructure("<Patient> is not in the FHIR namespace http://hl7.org/fhir")),
        ("<Patient \(fhir)>text</Patient>", .invalidStructure("text is not allowed inside <Patient>")),
        ("<Patient \(fhir)><active value=\"true\"/><active value=\"false\"/></Patient>",
         .invalidStructure("<active> may appear only once in <Patient>")),
        ("<Patient \(fhir)><active value=\"true\" colour=\"red\"/></Patient>",
         .invalidStructure("attribute 'colour' is not allowed on <active>")),
        ("<Patient \(fhir)><contained><Patient/><Patient/></contained></Patient>",
         .invalidStructure("<contained> must hold exactly one resource, found 2")),
        ("<Patient \(fhir)><text><status value=\"generated\"/><div>plain</div></text></Patient>",
         .invalidStructure("narrative must be a <div> in the XHTML namespace http://www.w3.org/1999/xhtml")),
        ("<Patient \(fhir)><name xmlns=\"urn:other\"/></Patient>",
         .invalidStructure("<name> is not in the FHIR namespace http://hl7.org/fhir")),
    ])
    func notFHIR(xml: String, reason: FHIRParseError.Reason) {
        #expect(throws: FHIRParseError(reason, line: 1)) { try parse(xml) }
    }

    @Test("elements nested past the depth limit are refused")
    func tooDeep() {
        let depth = 200
        let xml = "<Patient \(fhir)>" + String(repeating: "<deeper>", count: depth)
            + String(repeating: "</deeper>", count: depth) + "</Patient>"
        let error = #expect(throws: FHIRParseError.self) { try parse(xml) }
        #expect(error?.reason == .tooDeep(limit: FHIRXML.maximumDepth))
    }

    @Test("hostile nesting fails cleanly instead of exhausting the stack")
    func hostileNesting() {
        let xml = "<Patient \(fhir)>" + String(repeating: "<a>", count: 100_000)
        #expect(throws: FHIRParseError.self) { try parse(xml) }
    }
}
