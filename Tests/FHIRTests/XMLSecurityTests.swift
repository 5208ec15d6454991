import CLibXML2
@testable import FHIR
import Testing

private let billionLaughs = """
    <?xml version="1.0"?>
    <!DOCTYPE lolz [
      <!ENTITY lol "lol">
      <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
      <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
      <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
      <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
      <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
      <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
      <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
      <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
      <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
    ]>
    <Patient xmlns="http://hl7.org/fhir"><id value="&lol9;"/></Patient>
    """

private let externalEntity = """
    <?xml version="1.0"?>
    <!DOCTYPE Patient [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
    <Patient xmlns="http://hl7.org/fhir"><id value="&xxe;"/></Patient>
    """

private let parameterEntity = """
    <!DOCTYPE Patient [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
    <Patient xmlns="http://hl7.org/fhir"/>
    """

private func utf16LittleEndian(_ text: String) -> [UInt8] {
    text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
}

private let externalDTD = """
    <!DOCTYPE Patient SYSTEM "http://127.0.0.1:9/fhir.dtd">
    <Patient xmlns="http://hl7.org/fhir"/>
    """

@Suite("FHIR XML refuses DTDs and entities before anything is expanded")
struct XMLSecurityTests {
    @Test("a document type declaration is refused with its position", arguments: [
        ("<!DOCTYPE Patient><Patient xmlns=\"http://hl7.org/fhir\"/>", 1, 1),
        ("<?xml version=\"1.0\"?>\n<!-- a comment -->\n  <!DOCTYPE Patient []><Patient xmlns=\"http://hl7.org/fhir\"/>", 3, 3),
        ("<!doctype Patient><Patient xmlns=\"http://hl7.org/fhir\"/>", 1, 1),
    ])
    func doctypeIsRefused(xml: String, line: Int, column: Int) {
        #expect(throws: FHIRParseError(.doctypeForbidden, line: line, column: column)) {
            try FHIRXML.parseResource(Array(xml.utf8))
        }
    }

    @Test("billion laughs is refused", .timeLimit(.minutes(1)))
    func billionLaughsIsRefused() {
        #expect(throws: FHIRParseError(.doctypeForbidden, line: 2, column: 1)) {
            try FHIRXML.parseResource(Array(billionLaughs.utf8))
        }
    }

    @Test("an external entity (XXE) is refused")
    func externalEntityIsRefused() {
        #expect(throws: FHIRParseError(.doctypeForbidden, line: 2, column: 1)) {
            try FHIRXML.parseResource(Array(externalEntity.utf8))
        }
    }

    @Test("an entity declaration outside a DOCTYPE is refused")
    func bareEntityIsRefused() {
        let xml = "<!ENTITY x \"y\"><Patient xmlns=\"http://hl7.org/fhir\"/>"
        #expect(throws: FHIRParseError(.entityForbidden, line: 1, column: 1)) { try FHIRXML.parseResource(Array(xml.utf8)) }
    }

    @Test("DOCTYPE text inside a comment, CDATA or attribute-free PI is not mistaken for a declaration")
    func doctypeLookalikesPass() throws {
        let xml = """
            <?xml version="1.0"?><?note <!DOCTYPE x> ?><!-- <!DOCTYPE x [<!ENTITY y "z">]> -->
            <Patient xmlns="http://hl7.org/fhir"><id value="p1"/></Patient>
            """
        #expect(try FHIRXML.parseResource(Array(xml.utf8)).id == "p1")
    }

    @Test("the parser's own hooks refuse DTDs even when the byte scan is bypassed", arguments: [
        billionLaughs, externalEntity, parameterEntity, externalDTD,
    ])
    func hooksRefuseWithoutPrescan(xml: String) {
        #expect(throws: FHIRParseError(.doctypeForbidden)) {
            try Array(xml.utf8).withUnsafeBufferPointer { (buffer) throws(FHIRParseError) in
                try LibXMLDocument.withRootElement(of: buffer, prescan: false) { _ in () }
            }
        }
    }

    @Test("a body that is not UTF-8 is refused, so no encoding can hide a declaration", arguments: [
        [0xFF, 0xFE] + utf16LittleEndian("<!DOCTYPE x><x/>"),
        utf16LittleEndian("<!DOCTYPE x><x/>"),
        [0x4C, 0x6F, 0xA7, 0x94, 0x93, 0x40],  // "<?xml " in EBCDIC
        [0x00, 0x00, 0x00, 0x3C],  // UTF-32 big endian "<"
    ])
    func otherEncodingsAreRefused(body: [UInt8]) {
        #expect(throws: FHIRParseError(.malformedXML("FHIR XML must be encoded as UTF-8 and start with '<'"), line: 1, column: 1)) {
            try FHIRXML.parseResource(body)
        }
    }

    @Test("an encoding declaration cannot make libxml2 see a DOCTYPE the byte scan did not")
    func encodingDeclarationIsIgnored() {
        let xml = #"<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE x+AD4-<Patient xmlns="http://hl7.org/fhir"/>"#
        let error = #expect(throws: FHIRParseError.self) { try FHIRXML.parseResource(Array(xml.utf8)) }
        guard case .malformedXML? = error?.reason else {
            Issue.record("expected malformedXML, got \(String(describing: error))")
            return
        }
    }

    @Test("an undeclared entity reference is a well-formedness error, not a lookup")
    func undeclaredEntityIsMalformed() {
        let xml = "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"&secret;\"/></Patient>"
        let error = #expect(throws: FHIRParseError.self) { try FHIRXML.parseResource(Array(xml.utf8)) }
        guard case .malformedXML(let message)? = error?.reason else {
            Issue.record("expected malformedXML, got \(String(describing: error))")
            return
        }
        #expect(message.contains("secret"))
    }
}
