/// A QR Code (ISO/IEC 18004, model 2) holding bytes in byte mode, for showing TOTP
/// enrolment URIs in server-rendered HTML without JavaScript or image files.
///
/// ```swift
/// let qr = try QRCode.encode(Array(uri.utf8), ecc: .medium)
/// let html = "<figure>" + qr.svg(label: "QR code to add Zorgnet to your authenticator app") + "</figure>"
/// qr.isDark(x: 0, y: 0)   // true: the top-left finder pattern
/// ```
public struct QRCode: Sendable, Equatable {
    /// Error-correction level: the share of codewords that may be damaged and still read.
    public enum ErrorCorrection: Sendable, CaseIterable {
        /// About 7 %.
        case low
        /// About 15 %; the usual choice for screens.
        case medium
        /// About 25 %.
        case quartile
        /// About 30 %.
        case high

        /// Row in the capacity tables (L, M, Q, H).
        var tableRow: Int {
            switch self {
            case .low: return 0
            case .medium: return 1
            case .quartile: return 2
            case .high: return 3
            }
        }

        /// The two format-information bits, which are deliberately not in L, M, Q, H order.
        var formatIndicator: Int {
            switch self {
            case .low: return 1
            case .medium: return 0
            case .quartile: return 3
            case .high: return 2
            }
        }
    }

    /// Why a symbol could not be made.
    public enum EncodingError: Error, Equatable, Sendable {
        /// The data does not fit in the largest allowed version at this level.
        case dataTooLong(byteCount: Int, maximumVersion: Int, ecc: ErrorCorrection)
        /// A version outside 1...40 or an empty range was requested.
        case invalidVersion(Int)
        /// A mask outside 0...7 was requested.
        case invalidMask(Int)
    }

    /// Version 1...40; the symbol is `4 × version + 17` modules wide.
    public let version: Int
    public let errorCorrection: ErrorCorrection
    /// The data mask pattern 0...7 applied.
    public let mask: Int
    /// Width and height in modules, without quiet zone.
    public let size: Int
    private let modules: [Bool]

    /// Encodes `bytes` in one byte-mode segment in the smallest version in `versions` that fits,
    /// with `mask` forced or (nil) chosen by the lowest penalty score.
    public static func encode(
        _ bytes: [UInt8], ecc: ErrorCorrection = .medium, versions: ClosedRange<Int> = 1...40, mask: Int? = nil
    ) throws(EncodingError) -> QRCode {
        guard QRTables.versions.contains(versions.lowerBound) else { throw .invalidVersion(versions.lowerBound) }
        guard QRTables.versions.contains(versions.upperBound) else { throw .invalidVersion(versions.upperBound) }
        if let mask, !QRMasking.patterns.contains(mask) { throw .invalidMask(mask) }
        guard let version = QREncoder.smallestVersion(for: bytes.count, level: ecc, in: versions) else {
            throw .dataTooLong(byteCount: bytes.count, maximumVersion: versions.upperBound, ecc: ecc)
        }
        let data = QREncoder.dataCodewords(bytes, version: version, level: ecc)
        let codewords = QREncoder.interleavedCodewords(data: data, version: version, level: ecc)

        var base = QRMatrix(version: version, level: ecc)
        base.placeCodewords(codewords)

        func masked(_ pattern: Int) -> QRMatrix {
            var candidate = base
            candidate.applyMask(pattern)
            candidate.drawFormatBits(mask: pattern)
            return candidate
        }
        var chosen = (mask: 0, matrix: masked(0))
        if let mask {
            chosen = (mask, masked(mask))
        } else {
            // Scored with the real format bits in place, as scanners see the symbol.
            var best = QRMasking.penalty(chosen.matrix)
            for pattern in QRMasking.patterns.dropFirst() {
                let candidate = masked(pattern)
                let score = QRMasking.penalty(candidate)
                if score < best {
                    best = score
                    chosen = (pattern, candidate)
                }
            }
        }
        return QRCode(version: version, errorCorrection: ecc, mask: chosen.mask, matrix: chosen.matrix)
    }

    /// Convenience for text (UTF-8 bytes); scanners read otpauth URIs as plain ASCII.
    public static func encode(_ text: String, ecc: ErrorCorrection = .medium) throws(EncodingError) -> QRCode {
        try encode(Array(text.utf8), ecc: ecc)
    }

    private init(version: Int, errorCorrection: ErrorCorrection, mask: Int, matrix: QRMatrix) {
        self.version = version
        self.errorCorrection = errorCorrection
        self.mask = mask
        self.size = matrix.size
        self.modules = matrix.modules
    }

    /// Whether the module at column `x`, row `y` (origin top-left) is dark; outside is light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// Rows as strings of `1` (dark) and `0` (light), handy for tests and debugging.
    public var rows: [String] {
        (0..<size).map { y in String((0..<size).map { isDark(x: $0, y: y) ? "1" : "0" }) }
    }

    /// An inline SVG: one `path` of unit squares scaled by `moduleSize`, with a light
    /// background covering the quiet zone (4 modules by the standard) so dark page themes
    /// do not swallow it. `role="img"` and `aria-label` give screen readers a name;
    /// `shape-rendering="crispEdges"` keeps module edges sharp.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4, label: String = "QR code") -> String {
        let unit = max(1, moduleSize)
        let border = max(0, quietZone)
        let dimension = size + 2 * border
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                // Merge horizontal runs to keep the path short.
                var run = 1
                while isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + border) \(y + border)h\(run)v1h-\(run)z"
                x += run
            }
        }
        let pixels = dimension * unit
        let name = Self.escapeXML(label)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(name)\" "
            + "width=\"\(pixels)\" height=\"\(pixels)\" viewBox=\"0 0 \(dimension) \(dimension)\" "
            + "shape-rendering=\"crispEdges\">"
            + "<rect width=\"\(dimension)\" height=\"\(dimension)\" fill=\"#fff\"/>"
            + "<path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    private static func escapeXML(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}
