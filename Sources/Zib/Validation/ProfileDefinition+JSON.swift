import FHIR

/// Why a file in `Profiles/` could not be read as a ``ProfileDefinition``.
public enum ProfileFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    case notJSON(file: String, reason: String)
    case notAnObject(context: String)
    case missingMember(String, context: String)
    case wrongType(member: String, context: String, expected: String)

    public var description: String {
        switch self {
        case .notJSON(let file, let reason): "\(file) is not JSON: \(reason)"
        case .notAnObject(let context): "\(context) must be a JSON object"
        case .missingMember(let member, let context): "\(context) lacks \"\(member)\""
        case .wrongType(let member, let context, let expected): "\(context).\(member) must be \(expected)"
        }
    }
}

/// The project's profile format is this JSON: the compiled definition, written with the same
/// lossless JSON codec as FHIR resources so fixed decimals keep their precision and member order is
/// stable (which keeps regenerated files byte-identical).
///
/// ```swift
/// let json = definition.jsonValue
/// try ProfileDefinition(json: json) == definition  // true
/// ```
extension ProfileDefinition {
    public var jsonValue: FHIRValue {
        var object: FHIRObject = ["url": .string(url), "name": .string(name), "type": .string(type)]
        if let baseDefinition { object["baseDefinition"] = .string(baseDefinition) }
        object["rules"] = .array(rules.map(\.jsonValue))
        return .object(object)
    }

    public init(json: FHIRValue) throws(ProfileFormatError) {
        let reader = try MemberReader(json, context: "profile")
        self.init(
            url: try reader.string("url"), name: try reader.string("name"), type: try reader.string("type"),
            baseDefinition: try reader.optionalString("baseDefinition"),
            rules: try reader.array("rules").map { (rule) throws(ProfileFormatError) in try ProfileRule(json: rule) })
    }
}

extension ProfileRule {
    public var jsonValue: FHIRValue {
        var object: FHIRObject = ["path": .string(path)]
        if let min { object["min"] = .number(FHIRNumber(min)) }
        if let max { object["max"] = .string(max) }
        if let types { object["types"] = .array(types.map(FHIRValue.string)) }
        if let fixed { object["fixed"] = fixed }
        if let pattern { object["pattern"] = pattern }
        if let binding {
            var bindingObject: FHIRObject = [
                "valueSet": .string(binding.valueSet),
                "codes": .array(binding.codes.map { ["system": .string($0.system), "code": .string($0.code)] }),
            ]
            if !binding.anyCodeOf.isEmpty { bindingObject["anyCodeOf"] = .array(binding.anyCodeOf.map(FHIRValue.string)) }
            object["binding"] = .object(bindingObject)
        }
        if let slicing {
            object["slicing"] = [
                "discriminators": .array(slicing.discriminators.map(FHIRValue.string)),
                "closed": .boolean(slicing.closed),
            ]
        }
        if let sliceMatch { object["sliceMatch"] = .array(sliceMatch.map(\.jsonValue)) }
        if let typeProfiles { object["typeProfiles"] = .array(typeProfiles.map(FHIRValue.string)) }
        if let targetTypes { object["targetTypes"] = .array(targetTypes.map(FHIRValue.string)) }
        return .object(object)
    }

    public init(json: FHIRValue) throws(ProfileFormatError) {
        let reader = try MemberReader(json, context: "rule")
        self.init(path: try reader.string("path"))
        let context = "rule \(path)"
        min = try reader.optionalInt("min")
        max = try reader.optionalString("max")
        types = try reader.optionalStrings("types")
        fixed = reader.object["fixed"]
        pattern = reader.object["pattern"]
        if let value = reader.object["binding"] {
            let binding = try MemberReader(value, context: "\(context).binding")
            let codes = try binding.array("codes").map { (code) throws(ProfileFormatError) -> CodeReference in
                let member = try MemberReader(code, context: "\(context).binding.codes")
                return CodeReference(system: try member.string("system"), code: try member.string("code"))
            }
            self.binding = RequiredBinding(
                valueSet: try binding.string("valueSet"), codes: codes,
                anyCodeOf: try binding.optionalStrings("anyCodeOf") ?? [])
        }
        if let value = reader.object["slicing"] {
            let slicing = try MemberReader(value, context: "\(context).slicing")
            guard let closed = slicing.object["closed"]?.booleanValue else {
                throw .wrongType(member: "closed", context: "\(context).slicing", expected: "a boolean")
            }
            self.slicing = Slicing(discriminators: try slicing.optionalStrings("discriminators") ?? [], closed: closed)
        }
        if reader.object["sliceMatch"] != nil {
            sliceMatch = try reader.array("sliceMatch").map { (criterion) throws(ProfileFormatError) in
                let member = try MemberReader(criterion, context: "\(context).sliceMatch")
                return SliceCriterion(
                    path: try member.string("path"), fixed: member.object["fixed"], pattern: member.object["pattern"])
            }
        }
        typeProfiles = try reader.optionalStrings("typeProfiles")
        targetTypes = try reader.optionalStrings("targetTypes")
    }
}

extension SliceCriterion {
    var jsonValue: FHIRValue {
        var object: FHIRObject = ["path": .string(path)]
        if let fixed { object["fixed"] = fixed }
        if let pattern { object["pattern"] = pattern }
        return .object(object)
    }
}

/// Typed access to the members of one JSON object, naming the context in every error.
private struct MemberReader {
    let object: FHIRObject
    let context: String

    init(_ value: FHIRValue, context: String) throws(ProfileFormatError) {
        guard let object = value.objectValue else { throw .notAnObject(context: context) }
        self.object = object
        self.context = context
    }

    func string(_ key: String) throws(ProfileFormatError) -> String {
        guard let value = try optionalString(key) else { throw .missingMember(key, context: context) }
        return value
    }

    func optionalString(_ key: String) throws(ProfileFormatError) -> String? {
        guard let value = object[key] else { return nil }
        guard let string = value.stringValue else { throw .wrongType(member: key, context: context, expected: "a string") }
        return string
    }

    func optionalInt(_ key: String) throws(ProfileFormatError) -> Int? {
        guard let value = object[key] else { return nil }
        guard let int = value.numberValue?.intValue else {
            throw .wrongType(member: key, context: context, expected: "an integer")
        }
        return int
    }

    func array(_ key: String) throws(ProfileFormatError) -> [FHIRValue] {
        guard let value = object[key] else { throw .missingMember(key, context: context) }
        guard let array = value.arrayValue else { throw .wrongType(member: key, context: context, expected: "an array") }
        return array
    }

    func optionalStrings(_ key: String) throws(ProfileFormatError) -> [String]? {
        guard object[key] != nil else { return nil }
        var strings: [String] = []
        for element in try array(key) {
            guard let string = element.stringValue else {
                throw .wrongType(member: key, context: context, expected: "an array of strings")
            }
            strings.append(string)
        }
        return strings
    }
}
