/// The ISO/IEC 18004 capacity tables, kept compact: per error-correction level, the ECC
/// codewords per block and the number of blocks for versions 1...40 (index 0 is version 1).
/// Everything else (module counts, alignment positions, block lengths) follows by formula.
enum QRTables {
    /// ISO/IEC 18004 Table 9, "number of error correction codewords per block", in L, M, Q, H order.
    static let eccCodewordsPerBlock: [[Int]] = [
        [7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    /// ISO/IEC 18004 Table 9, total number of error correction blocks, in L, M, Q, H order.
    static let blockCount: [[Int]] = [
        [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    static let versions: ClosedRange<Int> = 1...40

    /// Side length in modules.
    static func size(of version: Int) -> Int { version * 4 + 17 }

    /// Modules left for codewords (and remainder bits) after all function patterns,
    /// format and version information are placed (ISO/IEC 18004 Table 1).
    static func rawDataModules(version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    static func totalCodewords(version: Int) -> Int { rawDataModules(version: version) / 8 }

    static func dataCodewords(version: Int, level: QRCode.ErrorCorrection) -> Int {
        let row = level.tableRow
        return totalCodewords(version: version)
            - eccCodewordsPerBlock[row][version - 1] * blockCount[row][version - 1]
    }

    /// Centre coordinates of alignment patterns (ISO/IEC 18004 Annex E), derived from the
    /// rule that they are evenly spaced from 6 up to `size - 7` with an even step.
    static func alignmentPositions(version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        var positions = [6]
        var position = size(of: version) - 7
        var tail: [Int] = []
        while tail.count < count - 1 {
            tail.insert(position, at: 0)
            position -= step
        }
        positions += tail
        return positions
    }

    /// Bits of the byte-mode character count indicator (ISO/IEC 18004 Table 3).
    static func byteCountBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// BCH(15,5) format information, masked with 0x5412 so it is never all light (§7.9.1).
    static func formatBits(level: QRCode.ErrorCorrection, mask: Int) -> Int {
        let data = level.formatIndicator << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// BCH(18,6) version information for versions 7 and up (§7.10).
    static func versionBits(version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version << 12 | remainder
    }
}
