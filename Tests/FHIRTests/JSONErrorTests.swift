import FHIR
import Testing

/// One malformed input with the error it must produce.
struct JSONErrorCase: Sendable, CustomTestStringConvertible {
    let name: String
    let input: [UInt8]
    let reason: FHIRParseError.Reason
    let line: Int
    let column: Int

    init(_ name: String, _ input: String, _ reason: FHIRParseError.Reason, line: Int = 1, column: Int) {
        self.init(name, Array(input.utf8), reason, line: line, column: column)
    }

    init(_ name: String, _ input: [UInt8], _ reason: FHIRParseError.Reason, line: Int = 1, column: Int) {
        self.name = name
        self.input = input
        self.reason = reason
        self.line = line
        self.column = column
    }

    var testDescription: String { name }

    static let all: [JSONErrorCase] = [
        .init("missing comma between members", #"{"a": 1 "b": 2}"#,
              .malformedJSON("expected ',' or '}' after an object member"), column: 9),
        .init("missing comma between array elements", "[1 2]", .malformedJSON("expected ',' or ']' after an array element"), column: 4),
        .init("missing colon", #"{"a" 1}"#, .malformedJSON("expected ':' after the member name"), column: 6),
        .init("unquoted member name", "{a:1}", .malformedJSON("expected a member name in double quotes or '}'"), column: 2),
        .init("trailing comma in an object", #"{"a":1,}"#, .malformedJSON("expected a member name in double quotes after ','"), column: 8),
        .init("trailing comma in an array", "[1,]", .malformedJSON("expected a value after ','"), column: 4),
        .init("missing value", #"{"a":}"#,
              .malformedJSON("expected a value (object, array, string, number, true, false or null)"), column: 6),
        .init("empty input", "", .malformedJSON("expected a value, found the end of the input"), column: 1),
        .init("truncated literal", "tru", .malformedJSON("expected 'true'"), column: 1),
        .init("unterminated string", #"["abc"#, .malformedJSON("expected '\"' to close the string, found the end of the input"), column: 6),
        .init("unclosed object", #"{"a":1"#, .malformedJSON("expected ',' or '}' after an object member, found the end of the input"), column: 7),
        .init("position on a later line", "{\n  \"a\": 1,\n  \"b\" 2\n}", .malformedJSON("expected ':' after the member name"), line: 3, column: 7),
        .init("columns count characters, not bytes", #"["é", x]"#,
              .malformedJSON("expected a value (object, array, string, number, true, false or null)"), column: 7),
        .init("duplicate key", #"{"a":1,"a":2}"#, .duplicateKey("a"), column: 8),
        .init("control character in a string", [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0x78, 0x01, 0x22, 0x7D], .controlCharacterInString, column: 8),
        .init("raw newline in a string", "[\"a\nb\"]", .controlCharacterInString, column: 4),
        .init("trailing garbage", "[1] x", .trailingContent, column: 5),
        .init("second top-level value", "{} {}", .trailingContent, column: 4),
        .init("lone high surrogate", #"["\uD800"]"#, .loneSurrogate, column: 3),
        .init("lone low surrogate", #"["\uDC00"]"#, .loneSurrogate, column: 3),
        .init("high surrogate followed by a non-surrogate", #"["\uD800\u0041"]"#, .loneSurrogate, column: 3),
        .init("unknown escape", #"["\x"]"#, .invalidEscape("\\x"), column: 3),
        .init("short \\u escape", #"["\u12G4"]"#, .invalidEscape("\\u needs four hexadecimal digits"), column: 3),
        .init("leading zero", "[01]", .invalidNumber("01"), column: 2),
        .init("fraction without digits", "[1.]", .invalidNumber("1."), column: 2),
        .init("lone minus", "[-]", .invalidNumber("-"), column: 2),
        .init("two decimal points", "[1.2.3]", .invalidNumber("1.2.3"), column: 2),
        .init("exponent without digits", "[1e+]", .invalidNumber("1e+"), column: 2),
        .init("invalid UTF-8 byte", [0x5B, 0x22, 0xFF, 0x22, 0x5D], .invalidUTF8, column: 3),
        .init("overlong UTF-8", [0x5B, 0x22, 0xC0, 0xAF, 0x22, 0x5D], .invalidUTF8, column: 3),
        .init("UTF-8 encoded surrogate", [0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D], .invalidUTF8, column: 3),
        .init("truncated UTF-8 sequence", [0x5B, 0x22, 0xE2, 0x82, 0x22, 0x5D], .invalidUTF8, column: 3),
        .init("nesting one past the limit", String(repeating: "[", count: 129) + String(repeating: "]", count: 129),
              .tooDeep(limit: 128), column: 129),
        .init("hostile nesting stops at the limit", String(repeating: "[", count: 100_000), .tooDeep(limit: 128), column: 129),
        .init("hostile object nesting stops at the limit", String(repeating: #"{"a":"#, count: 10_000),
              .tooDeep(limit: 128), column: 128 * 5 + 1),
    ]
}

@Suite("FHIR JSON rejects what is not JSON, saying where and why")
struct JSONErrorTests {
    @Test("each malformed input fails with its reason and position", arguments: JSONErrorCase.all)
    func malformedInput(_ testCase: JSONErrorCase) {
        #expect {
            _ = try FHIRJSON.parse(testCase.input)
        } throws: { error in
            guard let error = error as? FHIRParseError else { return false }
            #expect(error.reason == testCase.reason)
            #expect(error.line == testCase.line)
            #expect(error.column == testCase.column)
            return true
        }
    }

    @Test("the description names the position and what was expected")
    func descriptionIsReadable() {
        let error = #expect(throws: FHIRParseError.self) { try FHIRJSON.parse(Array(#"{"a": 1 "b": 2}"#.utf8)) }
        #expect(error?.description == "malformed JSON at line 1, column 9: expected ',' or '}' after an object member")
    }

    @Test("a duplicate key is named in the description")
    func duplicateKeyDescription() {
        let error = #expect(throws: FHIRParseError.self) { try FHIRJSON.parse(Array(#"{"id":"a",  "id":"b"}"#.utf8)) }
        #expect(error?.description == #"duplicate member "id" at line 1, column 13"#)
    }

    @Test("duplicates are found in objects too large for a linear scan")
    func duplicatesInLargeObjects() {
        let members = (0..<100).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        let json = "{" + members + #","k42":0}"#
        #expect(throws: FHIRParseError(.duplicateKey("k42"), line: 1, column: json.utf8.count - 7)) {
            try FHIRJSON.parse(Array(json.utf8))
        }
    }

    @Test("parseResource names what is missing for a resource", arguments: [
        ("[]", FHIRParseError.Reason.notAResource("the top-level value must be a JSON object")),
        ("{}", .notAResource("the object has no resourceType")),
        (#"{"resourceType":1}"#, .notAResource("resourceType must be a string")),
        (#"{"resourceType":"Foo"}"#, .unknownResourceType("Foo")),
        (#"{"resourceType":"DomainResource"}"#, .unknownResourceType("DomainResource")),
    ])
    func notAResource(json: String, reason: FHIRParseError.Reason) {
        #expect(throws: FHIRParseError(reason)) { try FHIRJSON.parseResource(Array(json.utf8)) }
    }

    @Test("parseResource accepts a known resource type")
    func knownResourceType() throws {
        let resource = try FHIRJSON.parseResource(Array(#"{"resourceType":"Patient","id":"p1"}"#.utf8))
        #expect(resource.resourceType == "Patient")
        #expect(resource.id == "p1")
    }
}
