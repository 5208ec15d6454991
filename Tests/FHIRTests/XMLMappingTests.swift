import FHIR
import Testing

private func json(fromXML xml: String) throws -> String {
    String(decoding: FHIRJSON.serialize(try FHIRXML.parseResource(Array(xml.utf8))), as: UTF8.self)
}

private func xml(fromJSON json: String, pretty: Bool = false) throws -> String {
    String(decoding: FHIRXML.serialize(try FHIRJSON.parseResource(Array(json.utf8)), pretty: pretty), as: UTF8.self)
}

private let declaration = #"<?xml version="1.0" encoding="UTF-8"?>"#

@Suite("FHIR XML maps onto FHIR JSON and back")
struct XMLMappingTests {
    @Test("primitives are typed by the schema, ids and extensions go into _name, arrays align with null")
    func primitivesAndExtensions() throws {
        let source = """
            <Patient xmlns="http://hl7.org/fhir">
              <!-- comments and indentation are dropped -->
              <id value="p1"/>
              <extension url="http://example.org/ext"><valueBoolean value="true"/></extension>
              <active value="true"/>
              <name id="n1">
                <family value="Vries"/>
                <given value="Jan"/>
                <given><extension url="http://example.org/roepnaam"><valueString value="x"/></extension></given>
                <given id="g3" value="Piet"/>
              </name>
              <birthDate value="1970-01-01">
                <extension url="http://hl7.org/fhir/StructureDefinition/patient-birthTime">
                  <valueDateTime value="1970-01-01T10:15:00+01:00"/>
                </extension>
              </birthDate>
              <multipleBirthInteger value="2"/>
            </Patient>
            """
        let expectedJSON = #"{"resourceType":"Patient","id":"p1","extension":[{"url":"http://example.org/ext","valueBoolean":true}],"#
            + #""active":true,"name":[{"id":"n1","family":"Vries","given":["Jan",null,"Piet"],"#
            + #""_given":[null,{"extension":[{"url":"http://example.org/roepnaam","valueString":"x"}]},{"id":"g3"}]}],"#
            + #""birthDate":"1970-01-01","_birthDate":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthTime","#
            + #""valueDateTime":"1970-01-01T10:15:00+01:00"}]},"multipleBirthInteger":2}"#
        #expect(try json(fromXML: source) == expectedJSON)

        let expectedXML = declaration + #"<Patient xmlns="http://hl7.org/fhir"><id value="p1"/>"#
            + #"<extension url="http://example.org/ext"><valueBoolean value="true"/></extension><active value="true"/>"#
            + #"<name id="n1"><family value="Vries"/><given value="Jan"/><given><extension url="http://example.org/roepnaam">"#
            + #"<valueString value="x"/></extension></given><given id="g3" value="Piet"/></name>"#
            + #"<birthDate value="1970-01-01"><extension url="http://hl7.org/fhir/StructureDefinition/patient-birthTime">"#
            + #"<valueDateTime value="1970-01-01T10:15:00+01:00"/></extension></birthDate><multipleBirthInteger value="2"/></Patient>"#
        #expect(try xml(fromJSON: expectedJSON) == expectedXML)
    }

    @Test("decimals keep their text from XML through JSON and back")
    func decimalsKeepText() throws {
        let source = #"<Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="gewicht"/></code>"#
            + #"<valueQuantity><value value="72.50"/><unit value="kg"/></valueQuantity></Observation>"#
        let resource = try FHIRXML.parseResource(Array(source.utf8))
        #expect(resource["valueQuantity"]?["value"] == .number(try #require(FHIRNumber(text: "72.50"))))
        #expect(String(decoding: FHIRXML.serialize(resource), as: UTF8.self) == declaration + source)
    }

    @Test("narrative div becomes a string of XHTML with its namespace, and goes back as XHTML")
    func narrative() throws {
        let source = #"<Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/>"#
            + #"<div xmlns="http://www.w3.org/1999/xhtml"><p class="x">Jan &amp; <b>Piet</b><!-- note --> &lt;3<br/></p></div></text></Patient>"#
        let expectedJSON = #"{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">"#
            + #"<p class=\"x\">Jan &amp; <b>Piet</b> &lt;3<br/></p></div>"}}"#
        #expect(try json(fromXML: source) == expectedJSON)
        #expect(try xml(fromJSON: expectedJSON) == declaration + source.replacingOccurrences(of: "<!-- note -->", with: ""))
    }

    @Test("a JSON div without xmlns is written into the XHTML namespace")
    func narrativeWithoutNamespace() throws {
        let json = #"{"resourceType":"Patient","text":{"status":"generated","div":"<div><p>hoi</p></div>"}}"#
        #expect(try xml(fromJSON: json).contains(#"<div xmlns="http://www.w3.org/1999/xhtml"><p>hoi</p></div>"#))
    }

    @Test("a JSON div that is not XML is kept as its text rather than dropped")
    func narrativeThatIsNotXML() throws {
        let json = #"{"resourceType":"Patient","text":{"status":"generated","div":"a < b"}}"#
        #expect(try xml(fromJSON: json).contains(#"<div xmlns="http://www.w3.org/1999/xhtml">a &lt; b</div>"#))
    }

    @Test("contained resources become objects with resourceType")
    func containedResources() throws {
        let source = #"<Patient xmlns="http://hl7.org/fhir"><contained><Organization><id value="o1"/><name value="Zorg &amp; Co"/>"#
            + ##"</Organization></contained><managingOrganization><reference value="#o1"/></managingOrganization></Patient>"##
        let expectedJSON = #"{"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o1","name":"Zorg & Co"}],"#
            + ##""managingOrganization":{"reference":"#o1"}}"##
        #expect(try json(fromXML: source) == expectedJSON)
        #expect(try xml(fromJSON: expectedJSON) == declaration + source)
    }

    @Test("Bundle entries and Parameters hold nested resources")
    func nestedResources() throws {
        let bundle = #"<Bundle xmlns="http://hl7.org/fhir"><id value="b1"/><type value="collection"/><entry><fullUrl value="urn:uuid:1"/>"#
            + #"<resource><Patient><id value="p1"/></Patient></resource></entry><entry><resource><Observation><status value="final"/>"#
            + #"<code><text value="x"/></code><valueQuantity><value value="1.00"/></valueQuantity></Observation></resource></entry></Bundle>"#
        let bundleJSON = #"{"resourceType":"Bundle","id":"b1","type":"collection","entry":[{"fullUrl":"urn:uuid:1","#
            + #""resource":{"resourceType":"Patient","id":"p1"}},{"resource":{"resourceType":"Observation","status":"final","#
            + #""code":{"text":"x"},"valueQuantity":{"value":1.00}}}]}"#
        #expect(try json(fromXML: bundle) == bundleJSON)
        #expect(try xml(fromJSON: bundleJSON) == declaration + bundle)

        let parameters = #"<Parameters xmlns="http://hl7.org/fhir"><parameter><name value="return"/>"#
            + #"<resource><Patient><active value="false"/></Patient></resource></parameter></Parameters>"#
        let parametersJSON = #"{"resourceType":"Parameters","parameter":[{"name":"return","#
            + #""resource":{"resourceType":"Patient","active":false}}]}"#
        #expect(try json(fromXML: parameters) == parametersJSON)
        #expect(try xml(fromJSON: parametersJSON) == declaration + parameters)
    }

    @Test("elements the schema does not know are kept, single unless repeated, and written last")
    func unknownElements() throws {
        let source = #"<Patient xmlns="http://hl7.org/fhir"><active value="true"/><futureThing value="x"/>"#
            + #"<futureGroup id="f"><a value="1"/><a value="2"/><extension url="http://e"><valueCode value="c"/></extension></futureGroup></Patient>"#
        let expectedJSON = #"{"resourceType":"Patient","active":true,"futureThing":"x","#
            + #""futureGroup":{"id":"f","a":["1","2"],"extension":[{"url":"http://e","valueCode":"c"}]}}"#
        #expect(try json(fromXML: source) == expectedJSON)
        let reordered = #"{"resourceType":"Patient","futureThing":"x","active":true}"#
        #expect(try xml(fromJSON: reordered)
            == declaration + #"<Patient xmlns="http://hl7.org/fhir"><active value="true"/><futureThing value="x"/></Patient>"#)
    }

    @Test("the writer emits elements in definition order whatever the JSON order")
    func definitionOrder() throws {
        let json = #"{"resourceType":"Patient","gender":"male","name":[{"given":["Jan"],"family":"Vries"}],"id":"p1","active":true}"#
        #expect(try xml(fromJSON: json) == declaration + #"<Patient xmlns="http://hl7.org/fhir"><id value="p1"/><active value="true"/>"#
            + #"<name><family value="Vries"/><given value="Jan"/></name><gender value="male"/></Patient>"#)
    }

    @Test("attribute values are escaped and read back unchanged")
    func attributeEscaping() throws {
        let json = #"{"resourceType":"Patient","name":[{"text":"a \"b\" <c> & d\ne\tf\r'g'"}]}"#
        let written = try xml(fromJSON: json)
        #expect(written.contains(#"<text value="a &quot;b&quot; &lt;c&gt; &amp; d&#10;e&#9;f&#13;'g'"/>"#))
        #expect(String(decoding: FHIRJSON.serialize(try FHIRXML.parseResource(Array(written.utf8))), as: UTF8.self) == json)
    }

    @Test("pretty output indents nested elements by two spaces")
    func prettyOutput() throws {
        let json = #"{"resourceType":"Patient","id":"p1","name":[{"family":"Vries"}]}"#
        let expected = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Patient xmlns="http://hl7.org/fhir">
              <id value="p1"/>
              <name>
                <family value="Vries"/>
              </name>
            </Patient>

            """
        #expect(try xml(fromJSON: json, pretty: true) == expected)
    }

    @Test("FHIRFormat picks the codec and names the media type", arguments: FHIRFormat.allCases)
    func formatDispatch(format: FHIRFormat) throws {
        let resource = try FHIRJSON.parseResource(Array(#"{"resourceType":"Patient","id":"p1","active":true}"#.utf8))
        #expect(try format.parseResource(format.serialize(resource)) == resource)
        #expect(format.mediaType == (format == .json ? "application/fhir+json" : "application/fhir+xml"))
    }
}
