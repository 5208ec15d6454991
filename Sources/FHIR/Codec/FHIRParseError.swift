/// Why a FHIR JSON or XML body could not be read, and where.
///
/// The description is meant for an OperationOutcome's diagnostics, so it says what was wrong and,
/// where it helps, what was expected:
///
/// ```swift
/// do { _ = try FHIRJSON.parse(Array(#"{"a": 1 "b": 2}"#.utf8)) }
/// catch { print(error) }  // malformed JSON at line 1, column 9: expected ',' or '}' after an object member
/// ```
public struct FHIRParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, precise enough to test against and to choose an issue code from.
    public enum Reason: Sendable, Hashable {
        /// JSON syntax: the text says what was expected instead.
        case malformedJSON(String)
        /// Bytes that are not UTF-8 (JSON and FHIR XML must be UTF-8).
        case invalidUTF8
        /// An unescaped control character (U+0000 to U+001F) inside a JSON string.
        case controlCharacterInString
        /// A backslash escape JSON does not have, such as `\x`, or a malformed `\u`.
        case invalidEscape(String)
        /// A `\u` escape of half a UTF-16 surrogate pair without its other half.
        case loneSurrogate
        /// A number outside the JSON grammar, such as `01`, `1.` or `.5`.
        case invalidNumber(String)
        /// Something other than whitespace after the top-level value.
        case trailingContent
        /// Objects and arrays (or XML elements) nested deeper than the limit.
        case tooDeep(limit: Int)
        /// The same member twice in one JSON object.
        case duplicateKey(String)
        /// XML syntax, as reported by libxml2.
        case malformedXML(String)
        /// A document type declaration, refused because DTDs enable entity expansion attacks.
        case doctypeForbidden
        /// An entity declaration or reference to a declared entity (billion laughs, XXE).
        case entityForbidden
        /// A primitive whose text does not fit its type, such as `<active value="yes"/>`.
        case invalidPrimitive(element: String, value: String, expected: String)
        /// A well-formed document that is not FHIR-shaped, such as text inside a FHIR element.
        case invalidStructure(String)
        /// The top level is not a resource: not an object, or no string `resourceType`.
        case notAResource(String)
        /// A `resourceType` or XML root that names no resource type of the release.
        case unknownResourceType(String)
    }

    /// What went wrong.
    public var reason: Reason
    /// 1-based line of the problem, when known.
    public var line: Int?
    /// 1-based column (in characters) of the problem, when known.
    public var column: Int?

    /// ```swift
    /// FHIRParseError(.duplicateKey("id"), line: 1, column: 13).description
    /// // duplicate member "id" at line 1, column 13
    /// ```
    public init(_ reason: Reason, line: Int? = nil, column: Int? = nil) {
        self.reason = reason
        self.line = line
        self.column = column
    }

    /// One sentence for people: what, where, and what was expected.
    public var description: String {
        let position: String
        switch (line, column) {
        case (let line?, let column?): position = " at line \(line), column \(column)"
        case (let line?, nil): position = " at line \(line)"
        default: position = ""
        }
        return reason.summary(position: position)
    }
}

extension FHIRParseError.Reason {
    fileprivate func summary(position: String) -> String {
        switch self {
        case .malformedJSON(let expected): "malformed JSON\(position): \(expected)"
        case .invalidUTF8: "invalid UTF-8\(position)"
        case .controlCharacterInString: "unescaped control character in a JSON string\(position)"
        case .invalidEscape(let escape): "invalid escape \(escape) in a JSON string\(position)"
        case .loneSurrogate: "\\u escape of a lone UTF-16 surrogate\(position)"
        case .invalidNumber(let text): "invalid JSON number \(text)\(position)"
        case .trailingContent: "unexpected content after the JSON value\(position)"
        case .tooDeep(let limit): "nesting deeper than \(limit) levels\(position)"
        case .duplicateKey(let key): "duplicate member \"\(key)\"\(position)"
        case .malformedXML(let message): "malformed XML\(position): \(message)"
        case .doctypeForbidden: "XML document type declarations (DOCTYPE) are not accepted\(position)"
        case .entityForbidden: "XML entity declarations are not accepted\(position)"
        case .invalidPrimitive(let element, let value, let expected):
            "element '\(element)' has value \"\(value)\"\(position), expected \(expected)"
        case .invalidStructure(let message): "not valid FHIR\(position): \(message)"
        case .notAResource(let message): "not a FHIR resource\(position): \(message)"
        case .unknownResourceType(let name): "unknown resource type \"\(name)\"\(position)"
        }
    }
}
