/// Parses the value of one search parameter occurrence into its OR-alternatives, by parameter type.
///
/// Escaping follows the FHIR search spec: `\,` `\|` `\$` and `\\` stand for the literal characters,
/// so `,` separates alternatives and `|` separates system from code only when not escaped.
struct SearchValueParser {
    /// The name as written (`subject:Patient`), for error messages.
    let parameterName: String
    let definition: SearchParameterDefinition
    let modifier: SearchModifier

    func parseValues(_ text: String) throws(SearchQueryError) -> [SearchValue] {
        var values: [SearchValue] = []
        for piece in Self.split(text[...], on: ",") {
            let value = try parseValue(piece, whole: text)
            if !values.contains(value) { values.append(value) }
        }
        return values
    }

    private func parseValue(_ piece: Substring, whole: String) throws(SearchQueryError) -> SearchValue {
        switch definition.type {
        case .token: try .token(parseToken(piece, whole: whole))
        case .string: try .string(parseString(piece, whole: whole))
        case .reference: try .reference(parseReference(piece, whole: whole))
        case .date: try .date(parseDate(piece, whole: whole))
        case .number: try .number(parseNumber(piece, whole: whole, expected: Self.numberExpectation))
        case .quantity: try .quantity(parseQuantity(piece, whole: whole))
        case .uri: try .uri(parseURI(piece, whole: whole))
        }
    }

    private func invalid(_ whole: String, _ expected: String) -> SearchQueryError {
        .invalidValue(parameter: parameterName, value: whole, expected: expected)
    }

    // MARK: token

    private static let tokenExpectation = "a token: code, system|code, |code or system|"

    private func parseToken(_ piece: Substring, whole: String) throws(SearchQueryError) -> TokenSearch {
        let parts = Self.split(piece, on: "|").map(Self.unescape)
        switch parts.count {
        case 1 where !parts[0].isEmpty:
            return .code(parts[0])
        case 2 where !(parts[0].isEmpty && parts[1].isEmpty):
            if parts[0].isEmpty { return .codeWithoutSystem(parts[1]) }
            if parts[1].isEmpty { return .system(parts[0]) }
            return .systemAndCode(system: parts[0], code: parts[1])
        default:
            throw invalid(whole, Self.tokenExpectation)
        }
    }

    // MARK: string and uri

    /// Normalized like the index, except under `:exact`, which compares the text as written.
    private func parseString(_ piece: Substring, whole: String) throws(SearchQueryError) -> String {
        let text = Self.unescape(piece)
        if modifier == .exact {
            guard !text.isEmpty else { throw invalid(whole, "some text") }
            return text
        }
        let normalized = SearchText.normalize(text)
        guard !normalized.isEmpty else { throw invalid(whole, "some text") }
        return normalized
    }

    private func parseURI(_ piece: Substring, whole: String) throws(SearchQueryError) -> String {
        let uri = Self.unescape(piece)
        guard !uri.isEmpty, !uri.contains(where: { $0 == " " }) else { throw invalid(whole, "a URI") }
        return uri
    }

    // MARK: reference

    private static let referenceExpectation = "a reference: Type/id, id, or an absolute URL ending in Type/id"

    private func parseReference(_ piece: Substring, whole: String) throws(SearchQueryError) -> ReferenceSearch {
        let text = Self.unescape(piece)
        let fixedType: String?
        if case .type(let type) = modifier { fixedType = type } else { fixedType = nil }

        if text.hasPrefix("http://") || text.hasPrefix("https://") {
            let segments = text.split(separator: "/", omittingEmptySubsequences: false)
            guard segments.count >= 5, let id = segments.last, let type = segments.dropLast().last,
                FHIRResource.isWellFormedTypeName(String(type)), Self.isValidID(id)
            else { throw invalid(whole, Self.referenceExpectation) }
            try checkType(String(type), fixedType: fixedType, whole: whole)
            return .url(text)
        }
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        switch segments.count {
        case 1:
            guard Self.isValidID(segments[0]) else { throw invalid(whole, Self.referenceExpectation) }
            if let fixedType { return .typed(type: fixedType, id: text) }
            return .id(text)
        case 2:
            let type = String(segments[0])
            guard FHIRResource.isWellFormedTypeName(type), Self.isValidID(segments[1]) else {
                throw invalid(whole, Self.referenceExpectation)
            }
            try checkType(type, fixedType: fixedType, whole: whole)
            return .typed(type: type, id: String(segments[1]))
        default:
            throw invalid(whole, Self.referenceExpectation)
        }
    }

    /// A typed value must agree with a `:Type` modifier and with the parameter's target types, or it
    /// could never match anything.
    private func checkType(_ type: String, fixedType: String?, whole: String) throws(SearchQueryError) {
        if let fixedType, fixedType != type { throw invalid(whole, "a reference to a \(fixedType)") }
        guard definition.targets.isEmpty || definition.targets.contains(type) else {
            throw invalid(whole, "a reference to \(definition.targets.joined(separator: ", "))")
        }
    }

    /// FHIR ids: 1 to 64 of `A-Z a-z 0-9 - .`.
    static func isValidID(_ id: Substring) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".")
        }
    }

    // MARK: date, number, quantity

    private static let dateExpectation =
        "a date such as 2017, 2017-03, 2017-03-01 or 2017-03-01T10:00:00+01:00 (no zone means UTC), "
        + "optionally prefixed by eq, ne, gt, lt, ge, le, sa or eb"
    private static let numberExpectation = "a number, optionally prefixed by eq, ne, gt, lt, ge or le"
    private static let quantityExpectation =
        "a quantity: number, number|system|code or number||code, optionally prefixed by eq, ne, gt, lt, ge or le"

    private func parseDate(_ piece: Substring, whole: String) throws(SearchQueryError) -> DateComparison {
        let (prefix, rest) = try splitPrefix(Self.unescape(piece), whole: whole, expected: Self.dateExpectation)
        guard let range = DateRange(fhirDate: rest) else { throw invalid(whole, Self.dateExpectation) }
        return DateComparison(prefix: prefix, range: range)
    }

    private func parseNumber(_ text: Substring, whole: String, expected: String) throws(SearchQueryError)
        -> NumberComparison
    {
        let (prefix, rest) = try splitPrefix(String(text), whole: whole, expected: expected)
        guard prefix != .sa, prefix != .eb else { throw invalid(whole, expected) }
        guard FHIRNumber.isValidJSONNumber(rest.utf8), let value = Double(rest), value.isFinite else {
            throw invalid(whole, expected)
        }
        let half = Self.halfUnitOfLastDigit(rest)
        return NumberComparison(prefix: prefix, value: value, lowerBound: value - half, upperBound: value + half)
    }

    private func parseQuantity(_ piece: Substring, whole: String) throws(SearchQueryError) -> QuantityComparison {
        let parts = Self.split(piece, on: "|")
        guard parts.count == 1 || parts.count == 3 else { throw invalid(whole, Self.quantityExpectation) }
        let number = try parseNumber(parts[0], whole: whole, expected: Self.quantityExpectation)
        guard parts.count == 3 else { return QuantityComparison(number: number, system: nil, code: nil) }
        let system = Self.unescape(parts[1])
        let code = Self.unescape(parts[2])
        return QuantityComparison(number: number, system: system.isEmpty ? nil : system, code: code.isEmpty ? nil : code)
    }

    /// Splits a leading comparison prefix off; values without one compare with `eq`.
    private func splitPrefix(_ text: String, whole: String, expected: String) throws(SearchQueryError)
        -> (SearchPrefix, String)
    {
        let head = text.prefix(2)
        if head == "ap" {
            throw invalid(whole, expected + " ('ap' is not supported)")
        }
        if let prefix = SearchPrefix(rawValue: String(head)) {
            return (prefix, String(text.dropFirst(2)))
        }
        return (.eq, text)
    }

    /// Half of the unit of the last significant digit written: `100` → 0.5, `1.50` → 0.005, `1e2` → 50.
    static func halfUnitOfLastDigit(_ text: String) -> Double {
        var mantissa = Substring(text)
        var exponent = 0
        // Clamped: beyond these, Double has no meaningful half-unit anyway. The written exponent is
        // clamped before any arithmetic, so `1.5e-9223372036854775808` cannot overflow, and one too
        // long for an Int counts as the extreme of its sign rather than as no exponent.
        let limit = 100_000
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            let written = text[text.index(after: e)...]
            exponent = min(max(Int(written) ?? (written.hasPrefix("-") ? -limit : limit), -limit), limit)
        }
        if let dot = mantissa.firstIndex(of: ".") {
            exponent -= min(mantissa.distance(from: dot, to: mantissa.endIndex) - 1, limit)
        }
        exponent = min(max(exponent, -330), 310)
        var scale = 0.5
        if exponent >= 0 {
            for _ in 0..<exponent { scale *= 10 }
        } else {
            for _ in 0..<(-exponent) { scale /= 10 }
        }
        return scale
    }

    // MARK: escaping

    /// Splits at every `separator` not preceded by a backslash; escapes stay in the pieces.
    static func split(_ text: Substring, on separator: Character) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        var escaped = false
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == separator {
                pieces.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        pieces.append(text[start...])
        return pieces
    }

    /// Removes the backslash from `\,` `\|` `\$` `\\` (and keeps a trailing lone backslash).
    static func unescape(_ text: Substring) -> String {
        guard text.contains("\\") else { return String(text) }
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        if escaped { result.append("\\") }
        return result
    }
}
