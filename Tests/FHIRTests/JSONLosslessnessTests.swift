import FHIR
import Testing

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

@Suite("FHIR JSON keeps what it reads")
struct JSONLosslessnessTests {
    @Test("numbers are written back exactly as they were written", arguments: [
        "1.00", "-0.0", "1E-245", "12345678901234567890.123456789", "0", "-1", "1e+10", "3.14159E2", "0.000001",
    ])
    func numbersKeepTheirText(number: String) throws {
        let json = #"{"value":\#(number)}"#
        let value = try FHIRJSON.parse(bytes(json))
        #expect(value["value"]?.numberValue?.text == number)
        #expect(text(FHIRJSON.serialize(value)) == json)
    }

    @Test("members keep their order, including unknown ones")
    func memberOrderIsKept() throws {
        let json = #"{"resourceType":"Patient","zeta":1,"alpha":{"b":true,"a":false},"id":"p1","gender":"male"}"#
        let value = try FHIRJSON.parse(bytes(json))
        #expect(value.objectValue?.keys == ["resourceType", "zeta", "alpha", "id", "gender"])
        #expect(text(FHIRJSON.serialize(value)) == json)
    }

    @Test("unknown elements, extensions and _element objects survive a round trip")
    func extensionsSurvive() throws {
        let json = """
            {"resourceType":"Patient","birthDate":"1970-01-01","_birthDate":{"id":"b1","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthTime","valueDateTime":"1970-01-01T10:15:00+01:00"}]},"modifierExtension":[{"url":"http://example.org/x","valueBoolean":false}],"futureElement":{"nested":[1,2.50,{"deep":null}]}}
            """
        let resource = try FHIRJSON.parseResource(bytes(json))
        #expect(resource["futureElement"]?["nested"]?.arrayValue?.count == 3)
        #expect(resource["_birthDate"]?["id"] == "b1")
        #expect(text(FHIRJSON.serialize(resource)) == json)
    }

    @Test("_given arrays keep their nulls aligned with given")
    func primitiveArraysWithNulls() throws {
        let json = #"{"given":["Jan",null,"Piet"],"_given":[null,{"extension":[{"url":"http://example.org/x","valueString":"roepnaam"}]},null]}"#
        let value = try FHIRJSON.parse(bytes(json))
        #expect(value["given"]?.arrayValue?[1] == .null)
        #expect(value["_given"]?.arrayValue?[0] == .null)
        #expect(value["_given"]?.arrayValue?[1]["extension"]?.arrayValue?.count == 1)
        #expect(text(FHIRJSON.serialize(value)) == json)
    }

    @Test("whitespace between tokens is dropped and compact output has none")
    func whitespaceIsDropped() throws {
        let json = "\u{FEFF}{ \"a\" :\t[ 1 ,\r\n 2 ] ,\n \"b\" : { } , \"c\" : [ ] }"
        #expect(text(FHIRJSON.serialize(try FHIRJSON.parse(bytes(json)))) == #"{"a":[1,2],"b":{},"c":[]}"#)
    }

    @Test("pretty output indents by two spaces and keeps empty containers on one line")
    func prettyOutput() throws {
        let value = try FHIRJSON.parse(bytes(#"{"resourceType":"Patient","name":[{"given":["Jan"]}],"a":{},"b":[],"active":true}"#))
        let expected = """
            {
              "resourceType": "Patient",
              "name": [
                {
                  "given": [
                    "Jan"
                  ]
                }
              ],
              "a": {},
              "b": [],
              "active": true
            }
            """
        #expect(text(FHIRJSON.serialize(value, pretty: true)) == expected)
    }

    @Test("escapes decode to the characters they stand for")
    func escapesDecode() throws {
        let json = #"["a\"b\\c\/d\n\t\b\f\r\u00e9\ud83d\ude00\u0000"]"#
        let value = try FHIRJSON.parse(bytes(json))
        #expect(value.arrayValue?.first == .string("a\"b\\c/d\n\t\u{8}\u{C}\ré😀\u{0}"))
    }

    @Test("raw UTF-8 text passes through unchanged")
    func utf8PassesThrough() throws {
        let json = #"{"name":"Zoë van Œdipus – 患者 😀"}"#
        #expect(text(FHIRJSON.serialize(try FHIRJSON.parse(bytes(json)))) == json)
    }

    @Test("the serializer escapes quotes, backslashes and control characters and leaves / alone")
    func serializerEscaping() {
        let value: FHIRValue = ["text": "say \"hi\"\\ now\n\tthen\r\u{8}\u{C}\u{1}\u{1F} a/b é"]
        #expect(text(FHIRJSON.serialize(value)) == #"{"text":"say \"hi\"\\ now\n\tthen\r\b\f\u0001\u001f a/b é"}"#)
    }

    @Test("serialized escapes parse back to the same string")
    func escapingRoundTrips() throws {
        let original = "\u{0}\u{1}\u{7F}\"\\/\n😀"
        let parsed = try FHIRJSON.parse(FHIRJSON.serialize(.string(original)))
        #expect(parsed == .string(original))
    }

    @Test("a resource serializes the same as its content")
    func resourceSerialization() throws {
        let json = #"{"resourceType":"Observation","valueQuantity":{"value":1.00,"unit":"kg"}}"#
        let resource = try FHIRJSON.parseResource(bytes(json))
        #expect(resource.resourceType == "Observation")
        #expect(text(FHIRJSON.serialize(resource)) == json)
        #expect(text(FHIRFormat.json.serialize(resource)) == json)
    }

    @Test("nesting up to the limit is accepted")
    func nestingAtTheLimit() throws {
        let depth = FHIRJSON.maximumDepth
        let json = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: Never.self) { try FHIRJSON.parse(bytes(json)) }
    }
}
