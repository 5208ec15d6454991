/// The module grid under construction: function patterns first (marked so data and masks
/// skip them), then the zigzag data placement, then format and version information.
struct QRMatrix: Sendable {
    let version: Int
    let level: QRCode.ErrorCorrection
    let size: Int
    /// Row-major, `true` = dark.
    private(set) var modules: [Bool]
    /// Row-major, `true` = part of a function pattern (never masked, never holds data).
    private(set) var isFunction: [Bool]

    init(version: Int, level: QRCode.ErrorCorrection) {
        self.version = version
        self.level = level
        self.size = QRTables.size(of: version)
        self.modules = Array(repeating: false, count: size * size)
        self.isFunction = Array(repeating: false, count: size * size)
        drawFunctionPatterns()
    }

    subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    func isFunctionModule(x: Int, y: Int) -> Bool { isFunction[y * size + x] }

    private mutating func setFunction(x: Int, y: Int, dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    private mutating func drawFunctionPatterns() {
        // Timing patterns first; finders and alignments then overwrite their crossings.
        for index in 0..<size {
            setFunction(x: 6, y: index, dark: index % 2 == 0)
            setFunction(x: index, y: 6, dark: index % 2 == 0)
        }
        drawFinder(centreX: 3, centreY: 3)
        drawFinder(centreX: size - 4, centreY: 3)
        drawFinder(centreX: 3, centreY: size - 4)

        let positions = QRTables.alignmentPositions(version: version)
        let last = positions.count - 1
        for (i, cy) in positions.enumerated() {
            for (j, cx) in positions.enumerated() {
                // The three corners that coincide with finder patterns carry no alignment pattern.
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                drawAlignment(centreX: cx, centreY: cy)
            }
        }
        // Reserve format and version areas now (mask 0 placeholder) so data placement skips them.
        drawFormatBits(mask: 0)
        drawVersionBits()
    }

    /// A 7×7 finder with its one-module light separator, clipped at the symbol edge.
    private mutating func drawFinder(centreX: Int, centreY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centreX + dx
                let y = centreY + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let distance = max(abs(dx), abs(dy))
                setFunction(x: x, y: y, dark: distance != 2 && distance != 4)
            }
        }
    }

    private mutating func drawAlignment(centreX: Int, centreY: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                setFunction(x: centreX + dx, y: centreY + dy, dark: max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    /// Format information in both copies (ISO/IEC 18004 §7.9.1, Figure 25), plus the
    /// always-dark module beside the lower-left finder.
    mutating func drawFormatBits(mask: Int) {
        let bits = QRTables.formatBits(level: level, mask: mask)
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
        for index in 0...5 { setFunction(x: 8, y: index, dark: bit(index)) }
        setFunction(x: 8, y: 7, dark: bit(6))
        setFunction(x: 8, y: 8, dark: bit(7))
        setFunction(x: 7, y: 8, dark: bit(8))
        for index in 9..<15 { setFunction(x: 14 - index, y: 8, dark: bit(index)) }
        for index in 0..<8 { setFunction(x: size - 1 - index, y: 8, dark: bit(index)) }
        for index in 8..<15 { setFunction(x: 8, y: size - 15 + index, dark: bit(index)) }
        setFunction(x: 8, y: size - 8, dark: true)
    }

    /// Version information blocks near the top-right and bottom-left finders (versions ≥ 7).
    private mutating func drawVersionBits() {
        guard version >= 7 else { return }
        let bits = QRTables.versionBits(version: version)
        for index in 0..<18 {
            let dark = (bits >> index) & 1 == 1
            let a = size - 11 + index % 3
            let b = index / 3
            setFunction(x: a, y: b, dark: dark)
            setFunction(x: b, y: a, dark: dark)
        }
    }

    /// Places codewords MSB first in two-module columns, zigzagging up and down from the
    /// bottom-right, skipping the vertical timing column (§7.7.3). Leftover modules are
    /// remainder bits and stay light.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        var bitIndex = 0
        let totalBits = codewords.count * 8
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = ((right + 1) & 2) == 0
            for vertical in 0..<size {
                let y = upward ? size - 1 - vertical : vertical
                for offset in 0..<2 {
                    let x = right - offset
                    guard !isFunction[y * size + x], bitIndex < totalBits else { continue }
                    let byte = codewords[bitIndex >> 3]
                    modules[y * size + x] = (byte >> UInt8(7 - (bitIndex & 7))) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
    }

    /// XORs the data area with mask pattern `mask`; applying it twice undoes it.
    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && QRMasking.inverts(mask: mask, x: x, y: y) {
                modules[y * size + x].toggle()
            }
        }
    }
}
