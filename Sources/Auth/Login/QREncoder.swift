/// Turns bytes into the final interleaved codeword sequence of a QR symbol: byte-mode
/// segment, terminator and padding, split into blocks, Reed–Solomon ECC, interleaving.
enum QREncoder {
    /// Bits needed for a single byte-mode segment of `count` bytes in `version`.
    static func segmentBitCount(byteCount count: Int, version: Int) -> Int {
        4 + QRTables.byteCountBits(version: version) + count * 8
    }

    /// The smallest version in `range` that holds `count` bytes at `level`, or nil.
    static func smallestVersion(
        for count: Int, level: QRCode.ErrorCorrection, in range: ClosedRange<Int>
    ) -> Int? {
        range.first { version in
            let countBits = QRTables.byteCountBits(version: version)
            return count < 1 << countBits
                && segmentBitCount(byteCount: count, version: version)
                    <= QRTables.dataCodewords(version: version, level: level) * 8
        }
    }

    /// Data codewords: mode 0100, count, bytes, up to four terminator zeros, zero bits to a
    /// byte boundary, then alternating 0xEC 0x11 pad bytes (ISO/IEC 18004 §7.4.10).
    static func dataCodewords(_ bytes: [UInt8], version: Int, level: QRCode.ErrorCorrection) -> [UInt8] {
        let capacityBits = QRTables.dataCodewords(version: version, level: level) * 8
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: QRTables.byteCountBits(version: version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        bits.append(0, count: min(4, capacityBits - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count * 8 < capacityBits {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits data into blocks (short blocks first, long ones one codeword longer), appends
    /// each block's ECC, and interleaves column by column so a local smudge hits many blocks.
    static func interleavedCodewords(data: [UInt8], version: Int, level: QRCode.ErrorCorrection) -> [UInt8] {
        let row = level.tableRow
        let blocks = QRTables.blockCount[row][version - 1]
        let eccLength = QRTables.eccCodewordsPerBlock[row][version - 1]
        let total = QRTables.totalCodewords(version: version)
        let longBlocks = total % blocks
        let shortDataLength = total / blocks - eccLength
        let generator = QRReedSolomon.generator(degree: eccLength)

        var dataBlocks: [[UInt8]] = []
        var eccBlocks: [[UInt8]] = []
        var start = 0
        for index in 0..<blocks {
            let length = shortDataLength + (index >= blocks - longBlocks ? 1 : 0)
            let block = Array(data[start..<start + length])
            start += length
            dataBlocks.append(block)
            eccBlocks.append(QRReedSolomon.remainder(of: block, generator: generator))
        }

        var result: [UInt8] = []
        result.reserveCapacity(total)
        for column in 0...shortDataLength {
            for block in dataBlocks where column < block.count { result.append(block[column]) }
        }
        for column in 0..<eccLength {
            for block in eccBlocks { result.append(block[column]) }
        }
        return result
    }
}

/// An append-only big-endian bit string.
struct BitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, count bitCount: Int) {
        guard bitCount > 0 else { return }
        for shift in stride(from: bitCount - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 { bytes[bytes.count - 1] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}
