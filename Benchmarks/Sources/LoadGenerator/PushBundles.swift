import Foundation
import NIOCore

/// EPD push transaction Bundles of `size` resources, made from `Fixtures/push/discharge-summary-diabetes.json`
/// (a demo hospital's discharge summary for pzc-diab-patient, who permits the demo hospital to push).
///
/// The fixture's first three entries (the Patient by BSN, the hospital, the doctor) head every bundle;
/// its nine clinical entries (encounter, problems, medication, allergy, specimen, lab results) are
/// repeated with fresh `urn:uuid` full URLs, references rewritten within each copy, until the bundle
/// holds `size` entries. Each bundle has its own `Bundle.identifier` (the push path treats a repeated
/// identifier as a retry) and its own dates, so no two pushes carry the same content.
struct PushBundleFactory {
    let header: [[String: Any]]
    let clinical: [[String: Any]]
    let identifierSystem: String

    init(fixture: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture))
        guard let bundle = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let entries = bundle["entry"] as? [[String: Any]], entries.count > 3,
              let identifier = bundle["identifier"] as? [String: Any], let system = identifier["system"] as? String
        else { throw PushBundleFactoryError.unexpectedFixture(fixture) }
        header = Array(entries.prefix(3))
        clinical = Array(entries.dropFirst(3))
        identifierSystem = system
    }

    /// Bundle number `index` of a run named `run` (the run name keeps identifiers unique across runs).
    func bundle(index: Int, run: String, size: Int) throws -> ByteBuffer {
        var entries = header
        var copy = 0
        while entries.count < size {
            // Full URLs of this copy: the fixture's, with the bundle and copy numbers in the last group of
            // hex digits, before the two digits that tell the fixture's entries apart.
            var renamed: [String: String] = [:]
            for entry in clinical {
                if let url = entry["fullUrl"] as? String {
                    renamed[url] = String(url.dropLast(12)) + String(format: "%06x%04x", index & 0xFFFFFF, copy) + String(url.suffix(2))
                }
            }
            for entry in clinical where entries.count < size {
                entries.append(Self.rewrite(entry, renamed: renamed) as! [String: Any])
            }
            copy += 1
        }
        let bundle: [String: Any] = [
            "resourceType": "Bundle", "type": "transaction",
            "identifier": ["system": identifierSystem, "value": "bench-\(run)-\(index)"],
            "entry": entries,
        ]
        var text = String(decoding: try JSONSerialization.data(withJSONObject: bundle), as: UTF8.self)
        // Dated differently from bundle to bundle, so consecutive pushes do not carry the same content.
        text = Self.shiftDays(text, by: index)
        return ByteBuffer(string: text)
    }

    private static func rewrite(_ value: Any, renamed: [String: String]) -> Any {
        switch value {
        case let string as String: return renamed[string] ?? string
        case let array as [Any]: return array.map { rewrite($0, renamed: renamed) }
        case let object as [String: Any]: return object.mapValues { rewrite($0, renamed: renamed) }
        default: return value
        }
    }

    /// Moves every `2026-11-DD` date (the fixture's dates, 07 to 21 November, all winter time) by
    /// `index % 8` days: the order of dates within a bundle (a period's start before its end) is kept.
    private static func shiftDays(_ text: String, by index: Int) -> String {
        let offset = index % 8
        guard offset > 0, let pattern = try? NSRegularExpression(pattern: #"2026-11-(\d\d)"#) else { return text }
        var result = text
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            guard let dayRange = Range(match.range(at: 1), in: text), let day = Int(text[dayRange]) else { continue }
            result.replaceSubrange(dayRange, with: String(format: "%02d", day + offset))
        }
        return result
    }
}

enum PushBundleFactoryError: Error, CustomStringConvertible {
    case unexpectedFixture(String)
    var description: String {
        switch self {
        case .unexpectedFixture(let path): "\(path) is not the transaction Bundle the push benchmark expects"
        }
    }
}
