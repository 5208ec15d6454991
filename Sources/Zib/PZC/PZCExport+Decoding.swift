import Foundation

extension PZCExport {
    /// Reads an export strictly: other formats, unknown keys and `null`s are refused, each named by
    /// its path (`dossier.problems[2].onsett: unknown key`), so a misspelt key is never silently lost.
    public static func decode(from data: Data) throws(PZCFormatError) -> PZCExport {
        let export: PZCExport
        do {
            export = try JSONDecoder().decode(PZCExport.self, from: data)
        } catch let error as DecodingError {
            throw .invalid(PZCFormatError.describe(error))
        } catch {
            throw .invalid("unreadable: \(error)")
        }
        guard export.format == currentFormat else { throw .unsupportedFormat(export.format) }
        try StrictKeys.check(data, against: export)
        return export
    }
}

/// Finds the keys of an export that the model does not read.
///
/// `JSONDecoder` skips keys it is not asked for. Rather than repeat every type's keys in a second
/// schema, the decoded export is encoded again: what the model knows comes back, so any key of the
/// input missing from that echo is unknown to the format, or was written as `null` (an optional left
/// empty is not encoded). Both are refused.
enum StrictKeys {
    static func check(_ data: Data, against export: PZCExport) throws(PZCFormatError) {
        let input: Any
        let known: Any
        do {
            input = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            known = try JSONSerialization.jsonObject(with: JSONEncoder().encode(export), options: [.fragmentsAllowed])
        } catch {
            throw .invalid("unreadable: \(error)")
        }
        var unknown: [String] = []
        var nulls: [String] = []
        compare(input, known, path: "", unknown: &unknown, nulls: &nulls)
        if !unknown.isEmpty { throw .unknownKeys(unknown) }
        if !nulls.isEmpty { throw .nullValues(nulls) }
    }

    private static func compare(_ input: Any, _ known: Any, path: String, unknown: inout [String], nulls: inout [String]) {
        if let object = input as? [String: Any] {
            let knownObject = known as? [String: Any] ?? [:]
            // Sorted, so the report is the same on every run and platform.
            for (key, value) in object.sorted(by: { $0.key < $1.key }) {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                guard let knownValue = knownObject[key] else {
                    if value is NSNull { nulls.append(childPath) } else { unknown.append(childPath) }
                    continue
                }
                compare(value, knownValue, path: childPath, unknown: &unknown, nulls: &nulls)
            }
        } else if let array = input as? [Any], let knownArray = known as? [Any] {
            for (index, element) in array.enumerated() where index < knownArray.count {
                compare(element, knownArray[index], path: "\(path)[\(index)]", unknown: &unknown, nulls: &nulls)
            }
        }
    }
}

/// Why an export cannot be read.
public enum PZCFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    case unsupportedFormat(String)
    /// Not JSON, or a required key missing or of the wrong type; the text names the path.
    case invalid(String)
    /// Keys the format does not have, by path (`dossier.problems[2].onsett`), usually misspellings.
    case unknownKeys([String])
    /// Keys written as `null`; the format wants an empty optional left out.
    case nullValues([String])

    public var description: String {
        switch self {
        case .unsupportedFormat(let format): "unsupported export format '\(format)'; this version reads '\(PZCExport.currentFormat)'"
        case .invalid(let reason): "invalid PZC export: \(reason)"
        case .unknownKeys(let paths): "invalid PZC export: " + paths.map { "\($0): unknown key" }.joined(separator: "; ")
        case .nullValues(let paths): "invalid PZC export: " + paths.map { "\($0): null (leave the key out)" }.joined(separator: "; ")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the document" : String(text.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)): missing '\(key.stringValue)'"
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)): expected \(type), found null"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "unreadable"
        }
    }
}
