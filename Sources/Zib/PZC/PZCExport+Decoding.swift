import Foundation

extension PZCExport {
    /// Reads an export, refusing other formats and naming the path of the first problem.
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
        return export
    }
}

/// Why an export cannot be read.
public enum PZCFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    case unsupportedFormat(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .unsupportedFormat(let format): "unsupported export format '\(format)'; this version reads '\(PZCExport.currentFormat)'"
        case .invalid(let reason): "invalid PZC export: \(reason)"
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
