/// A FHIR element tree in the shape of FHIR JSON, kept losslessly.
///
/// Every format the gateway speaks is read into this one shape: JSON maps onto it directly, XML is
/// mapped with the help of the FHIR type definitions. Nothing is normalised on the way in: numbers
/// keep the text they were written with (`1.00` stays `1.00`), object members keep their order, and
/// elements the gateway does not know survive untouched.
///
/// ```swift
/// let value: FHIRValue = ["resourceType": "Observation", "valueQuantity": ["value": .number("1.00")]]
/// value["valueQuantity"]?["value"]?.numberValue?.text  // "1.00"
/// ```
public indirect enum FHIRValue: Sendable, Hashable {
    case object(FHIRObject)
    case array([FHIRValue])
    case string(String)
    case number(FHIRNumber)
    case boolean(Bool)
    /// Only meaningful inside arrays of primitives, where it keeps positions aligned with `_element` arrays.
    case null
}

extension FHIRValue {
    public var objectValue: FHIRObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var arrayValue: [FHIRValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    public var numberValue: FHIRNumber? {
        if case .number(let number) = self { return number }
        return nil
    }

    public var booleanValue: Bool? {
        if case .boolean(let bool) = self { return bool }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member named `key` when this is an object, otherwise nil.
    public subscript(key: String) -> FHIRValue? {
        objectValue?[key]
    }

    /// The elements of an array, or this value alone: FHIR paths treat a single value and a
    /// one-element array alike.
    public var elements: [FHIRValue] {
        switch self {
        case .array(let array): array
        case .null: []
        default: [self]
        }
    }
}

extension FHIRValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension FHIRValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
}

extension FHIRValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .number(FHIRNumber(value)) }
}

extension FHIRValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: FHIRValue...) { self = .array(elements) }
}

extension FHIRValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, FHIRValue)...) {
        self = .object(FHIRObject(elements.map { FHIRObject.Member(key: $0.0, value: $0.1) }))
    }
}
