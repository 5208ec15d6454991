import FHIR

/// How values are compared with a profile's fixed values, patterns and required bindings.
///
/// ```swift
/// ValueMatching.matches(["coding": [["system": "s", "code": "c"]], "text": "t"],
///                       pattern: ["coding": [["system": "s", "code": "c"]]])  // true
/// ValueMatching.equalsFixed("c", fixed: "c")                                   // true
/// ```
enum ValueMatching {
    /// FHIR pattern semantics: every member the pattern has, the value has with a matching value;
    /// every element of a pattern array matches some element of the value.
    static func matches(_ value: FHIRValue, pattern: FHIRValue) -> Bool {
        switch (value, pattern) {
        case (.array(let values), .array(let patterns)):
            return patterns.allSatisfy { element in values.contains { matches($0, pattern: element) } }
        case (.array(let values), _):
            return values.contains { matches($0, pattern: pattern) }
        case (_, .array(let patterns)):
            return patterns.allSatisfy { matches(value, pattern: $0) }
        case (.object(let object), .object(let patternObject)):
            return patternObject.allSatisfy { member in
                object[member.key].map { matches($0, pattern: member.value) } ?? false
            }
        default:
            return primitiveEqual(value, pattern)
        }
    }

    /// Fixed-value semantics: equal in every member; the value may add only `id` and extensions.
    static func equalsFixed(_ value: FHIRValue, fixed: FHIRValue) -> Bool {
        switch (value, fixed) {
        case (.array(let values), .array(let fixedValues)):
            return values.count == fixedValues.count
                && zip(values, fixedValues).allSatisfy { equalsFixed($0, fixed: $1) }
        case (.object(let object), .object(let fixedObject)):
            let extra = object.keys.filter { fixedObject[$0] == nil && !["id", "extension"].contains($0) }
            return extra.isEmpty && fixedObject.allSatisfy { member in
                object[member.key].map { equalsFixed($0, fixed: member.value) } ?? false
            }
        default:
            return primitiveEqual(value, fixed)
        }
    }

    private static func primitiveEqual(_ value: FHIRValue, _ expected: FHIRValue) -> Bool {
        if case .number(let number) = value, case .number(let other) = expected {
            return number.text == other.text || (number.doubleValue != nil && number.doubleValue == other.doubleValue)
        }
        return value == expected
    }

    /// The values at a dot-separated path below `value` (`$this` is the value itself), arrays flattened.
    static func values(at path: String, in value: FHIRValue) -> [FHIRValue] {
        guard path != "$this" else { return [value] }
        var current = value.elements
        for step in path.split(separator: ".") {
            current = current.flatMap { ($0[String(step)]?.elements ?? []) }
        }
        return current
    }

    /// Whether an occurrence belongs to a slice: every criterion finds a matching value.
    static func satisfies(_ value: FHIRValue, criteria: [SliceCriterion]) -> Bool {
        !criteria.isEmpty && criteria.allSatisfy { criterion in
            values(at: criterion.path, in: value).contains { candidate in
                if let fixed = criterion.fixed, !equalsFixed(candidate, fixed: fixed) { return false }
                if let pattern = criterion.pattern, !matches(candidate, pattern: pattern) { return false }
                return true
            }
        }
    }

    /// Whether a coded value (a `code`, a Coding, a CodeableConcept or a Quantity) is allowed by a
    /// required binding; a CodeableConcept needs one allowed coding.
    static func isAllowed(_ value: FHIRValue, by binding: RequiredBinding) -> Bool {
        if let code = value.stringValue { return binding.allows(system: nil, code: code) }
        if let codings = value["coding"]?.elements {
            return codings.contains { isAllowed($0, by: binding) }
        }
        guard let code = value["code"]?.stringValue else { return false }
        return binding.allows(system: value["system"]?.stringValue, code: code)
    }

    /// A short human form of a fixed or pattern value: `system|code` for codings, else compact JSON.
    static func render(_ value: FHIRValue) -> String {
        if let string = value.stringValue { return string }
        let codings = value["coding"]?.elements ?? (value["code"] != nil ? [value] : [])
        let rendered = codings.compactMap { coding -> String? in
            guard let code = coding["code"]?.stringValue else { return nil }
            return coding["system"]?.stringValue.map { "\($0)|\(code)" } ?? code
        }
        if !rendered.isEmpty { return rendered.joined(separator: ", ") }
        return String(decoding: FHIRJSON.serialize(value), as: UTF8.self)
    }
}
