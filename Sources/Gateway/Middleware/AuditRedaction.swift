/// Keeps citizen service numbers out of the audit log's free text.
///
/// A BSN has no business in a URL (such requests are refused), but the refused URL is still what the
/// log records. Any run of exactly nine digits that passes the BSN eleven-test is replaced, so the
/// append-only log never holds one — except a SNOMED CT code (right after `sct|`), which can pass the
/// eleven-test too (275711006, the BgZ lab category, does) and is what the log must show.
///
/// ```swift
/// AuditRedaction.redactingBSNs("/fhir/Patient?identifier=bsn%7C999911120")  // "/fhir/Patient?identifier=bsn%7C[bsn]"
/// ```
enum AuditRedaction {
    static func redactingBSNs(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var output = [UInt8]()
        output.reserveCapacity(bytes.count)
        var index = 0
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        while index < bytes.count {
            guard isDigit(bytes[index]) else {
                output.append(bytes[index])
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, isDigit(bytes[end]) { end += 1 }
            let run = Array(bytes[index..<end])
            if run.count == 9, passesElevenTest(run), !followsSNOMEDSystem(output) {
                output.append(contentsOf: Array("[bsn]".utf8))
            } else {
                output.append(contentsOf: run)
            }
            index = end
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func followsSNOMEDSystem(_ prefix: [UInt8]) -> Bool {
        let tail = String(decoding: prefix.suffix(12), as: UTF8.self).lowercased()
        return tail.hasSuffix("sct|") || tail.hasSuffix("sct%7c")
    }

    /// 9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 (mod 11).
    static func passesElevenTest(_ digits: [UInt8]) -> Bool {
        let values = digits.map { Int($0 - UInt8(ascii: "0")) }
        let weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
        return zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11 == 0
    }
}
