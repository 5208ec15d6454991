import Foundation
import Testing

import Auth

@Suite("QR Code encoder (ISO/IEC 18004)")
struct QRCodeTests {
    @Test("matches the reference symbol for HELLO WORLD, version 1-M, byte mode")
    func helloWorldReference() throws {
        let code = try QRCode.encode(Array("HELLO WORLD".utf8), ecc: .medium, mask: 2)
        #expect(code.version == 1)
        #expect(code.size == 21)
        #expect(code.rows == QRReference.helloWorldMask2)
    }

    @Test("applies each of the eight data masks like the reference", arguments: 0..<8)
    func helloWorldEveryMask(mask: Int) throws {
        let code = try QRCode.encode(Array("HELLO WORLD".utf8), ecc: .medium, mask: mask)
        let expected = QRReference.helloWorldByMask[mask].split(separator: " ").map { hex in
            let bits = String(UInt32(hex, radix: 16) ?? 0, radix: 2)
            return String(repeating: "0", count: 21 - bits.count) + bits
        }
        #expect(code.mask == mask)
        #expect(code.rows == expected)
    }

    @Test("picks version 9 for a 157-byte otpauth URI and matches the reference symbol")
    func otpauthReference() throws {
        let bytes = Array(QRReference.otpauthURI.utf8)
        #expect(bytes.count == 157)
        let code = try QRCode.encode(bytes, ecc: .medium, mask: 3)
        #expect(code.version == 9)
        #expect(code.size == 53)
        #expect(code.rows == QRReference.otpauthMask3)
    }

    @Test("chooses a mask by penalty that equals forcing that same mask")
    func automaticMaskIsConsistent() throws {
        let bytes = Array(QRReference.otpauthURI.utf8)
        let automatic = try QRCode.encode(bytes, ecc: .medium)
        let forced = try QRCode.encode(bytes, ecc: .medium, mask: automatic.mask)
        #expect(automatic == forced)
    }

    @Test("selects the smallest version that fits", arguments: [
        (14, QRCode.ErrorCorrection.medium, 1 as Int?), (15, .medium, 2), (17, .low, 1), (18, .low, 2),
        (7, .high, 1), (152, .medium, 8), (153, .medium, 9), (180, .medium, 9), (181, .medium, 10),
        (2_331, .medium, 40), (2_332, .medium, nil), (2_953, .low, 40), (2_954, .low, nil),
    ])
    func versionSelection(byteCount: Int, ecc: QRCode.ErrorCorrection, version: Int?) throws {
        let bytes = [UInt8](repeating: 0x61, count: byteCount)
        if let version {
            #expect(try QRCode.encode(bytes, ecc: ecc).version == version)
        } else {
            #expect(throws: QRCode.EncodingError.dataTooLong(byteCount: byteCount, maximumVersion: 40, ecc: ecc)) {
                try QRCode.encode(bytes, ecc: ecc)
            }
        }
    }

    @Test("reports precise errors for bad versions and masks")
    func encodingErrors() {
        #expect(throws: QRCode.EncodingError.invalidMask(8)) { try QRCode.encode([1], mask: 8) }
        #expect(throws: QRCode.EncodingError.invalidVersion(0)) { try QRCode.encode([1], versions: 0...10) }
        #expect(throws: QRCode.EncodingError.dataTooLong(byteCount: 200, maximumVersion: 6, ecc: .medium)) {
            try QRCode.encode([UInt8](repeating: 0, count: 200), versions: 1...6)
        }
    }

    @Test("renders an accessible single-path SVG with an escaped label")
    func svgOutput() throws {
        let code = try QRCode.encode("HELLO WORLD")
        let svg = code.svg(moduleSize: 5, quietZone: 4, label: "Scan <this> & \"enrol\"")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""))
        #expect(svg.contains("aria-label=\"Scan &lt;this&gt; &amp; &quot;enrol&quot;\""))
        #expect(svg.contains("viewBox=\"0 0 29 29\""))
        #expect(svg.contains("width=\"145\""))
        #expect(svg.components(separatedBy: "<path").count == 2)
        // Top-left finder: its first row is a 7-module dark run starting inside the quiet zone.
        #expect(svg.contains("d=\"M4 4h7v1h-7z"))
        #expect(!code.isDark(x: -1, y: 0) && !code.isDark(x: 0, y: code.size))
    }

    @Test(
        "decodes back to the input with an independent reader (zbar)",
        .enabled(if: ZbarDecoder.python != nil, "needs Python with pyzbar, Pillow and libzbar0"),
        arguments: ["HELLO WORLD", QRReference.otpauthURI, String(repeating: "Zorgnet ", count: 40)]
    )
    func zbarRoundTrip(text: String) throws {
        let python = try #require(ZbarDecoder.python)
        for ecc in QRCode.ErrorCorrection.allCases {
            let code = try QRCode.encode(text, ecc: ecc)
            #expect(try ZbarDecoder.decode(code, python: python) == text, "ecc \(ecc), version \(code.version)")
        }
    }
}

/// Writes the symbol as a PGM image and asks pyzbar to read it; used only when available.
enum ZbarDecoder {
    static let script = """
        import sys
        from PIL import Image
        from pyzbar.pyzbar import decode
        found = decode(Image.open(sys.argv[1]))
        sys.stdout.write(found[0].data.decode('utf-8') if found else '')
        """

    /// The first Python that can import pyzbar: `$QR_DECODER_PYTHON`, the dev venv, or `python3`.
    static let python: String? = {
        var candidates = ["/tmp/qrvenv/bin/python", "/usr/bin/python3"]
        if let configured = ProcessInfo.processInfo.environment["QR_DECODER_PYTHON"] {
            candidates.insert(configured, at: 0)
        }
        return candidates.first { path in
            FileManager.default.isExecutableFile(atPath: path)
                && (try? run(path, ["-c", "import pyzbar.pyzbar, PIL"])) != nil
        }
    }()

    static func decode(_ code: QRCode, python: String) throws -> String {
        let scale = 4
        let border = 4
        let side = (code.size + 2 * border) * scale
        var pixels = [UInt8](repeating: 255, count: side * side)
        for y in 0..<side {
            for x in 0..<side where code.isDark(x: x / scale - border, y: y / scale - border) {
                pixels[y * side + x] = 0
            }
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).pgm")
        defer { try? FileManager.default.removeItem(at: url) }
        try (Data("P5 \(side) \(side) 255\n".utf8) + Data(pixels)).write(to: url)
        return try run(python, ["-c", script, url.path])
    }

    struct Failed: Error {}

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed() }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Reference symbols made with segno 1.6.6 (Python) forcing byte mode, level M, `boost_error=False`
/// and the version and mask noted, e.g.
/// `segno.make("HELLO WORLD", version=1, error="M", mode="byte", mask=2, boost_error=False, micro=False)`.
/// segno 1.6.6 appends a whole 0x00 codeword when the bit stream already ends on a codeword
/// boundary (always so in byte mode with a full terminator); ISO/IEC 18004 §7.4.10 adds padding
/// bits only when it does not, and the pad codewords 0xEC 0x11 follow at once. The references
/// were made with segno's `write_padding_bits` patched to `[0] * ((8 - length % 8) % 8)`.
enum QRReference {
    /// "HELLO WORLD", version 1-M, mask 2; rows top to bottom, 1 = dark.
    static let helloWorldMask2: [String] = [
        "111111100000101111111",
        "100000100101001000001",
        "101110101110101011101",
        "101110101010101011101",
        "101110101010101011101",
        "100000101101001000001",
        "111111101010101111111",
        "000000001010000000000",
        "101111100011001111100",
        "011000010111111101100",
        "101100110000111001110",
        "011101001111110011100",
        "100010110110110000101",
        "000000001110100001000",
        "111111100101001000110",
        "100000101110010101111",
        "101110101001000100101",
        "101110101000111111000",
        "101110101100100100100",
        "100000100010110011100",
        "111111101011100010110",
    ]

    /// "HELLO WORLD", version 1-M, masks 0...7: each row as a hexadecimal number of 21 bits.
    static let helloWorldByMask: [String] = [
        "1fcd7f 105941 17415d 17465d 17595d 104941 1fd57f 700 154a12 148c62 117dbf 163c12 1671f4 1e86 1fc637 104f21 175e54 174276 175555 104612 1fdb67",
        "1fd77f 104341 175b5d 174c5d 17435d 105341 1fd57f d00 146025 1e26c8 1bd715 1c96b8 1cdb5e 142c 1fdc9d 10458b 1744fe 1748dc 175fff 104cb8 1fd1cd",
        "1fc17f 104a41 175d5d 17555d 17555d 105a41 1fd57f 1400 17c67c c2fec 1661ce e9f9c 116d85 1d08 1fca46 105caf 175225 1751f8 175924 10459c 1fd716",
        "1fd17f 105141 17405d 17555d 174e5d 104741 1fd57f 1f00 16eb4b c2fec faa3 15b22a 116d85 1665 1fd7f0 105caf 174948 175c4e 175924 104ef1 1fdaa0",
        "1fd97f 104241 174a5d 17525d 175d5d 105241 1fd57f 1300 117ef9 2170f 7e6d2 1f1880 1f5566 15eb 1fdd5a 104bb3 175ac6 17491b 174e38 104280 1fdff5",
        "1fc77f 105241 175d5d 17595d 17455d 104241 1fd57f 1c00 1056ce b339d 1661ce c97bc 1cdb5e 1528 1fca46 1040de 174225 1749d8 174fff 104dbc 1fd716",
        "1fd77f 105241 17595d 17495d 17575d 104441 1fd57f c00 13f297 b339d 12f387 d11a4 1cdb5e 15eb 1fded4 1050de 17506c 175fc0 174fff 104d7f 1fd384",
        "1fcd7f 104d41 17435d 17465d 174d5d 105b41 1fd57f 300 12d8a0 148c62 18592d 12ae5b 1671f4 1a14 1fc47e 105f21 174ac6 17503f 174555 104280 1fd92e",
    ]

    static let otpauthURI = "otpauth://totp/Zorgnet%20Gateway:999993653%40digid.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Zorgnet%20Gateway&algorithm=SHA1&digits=6&period=30"

    /// `otpauthURI` (157 bytes), version 9-M (smallest fitting, carries version information), mask 3.
    static let otpauthMask3: [String] = [
        "11111110110110111001000010010111100101111110001111111",
        "10000010110001111000101001110110101000111011001000001",
        "10111010010010001000000001001110110101000001001011101",
        "10111010111111000011010001011100000010000110101011101",
        "10111010000000000111011011111000010000111010001011101",
        "10000010001000110010000010001001010001111010001000001",
        "11111110101010101010101010101010101010101010101111111",
        "00000000110110011110101110001110110111100011000000000",
        "10110111011111010100011011111000110101011111001001011",
        "00000101100000100100110111001110100010011011000110101",
        "11100010011011100110100011110111010010001110111001110",
        "11011100111011111000000100011001111000000001011011010",
        "11000111100000110111110111111111001110000010000111101",
        "01011101011001001101011001111100110111110001100100111",
        "11100110011000101010000101011100000101000010110001101",
        "00111000011000100001100110000010001000001001110101001",
        "10000111000110011010110001010101101001110111011001100",
        "10000100101001001010100101000100010100001101011101010",
        "00110111101100010110101101100010010011100110000110100",
        "11001100110100000111101101100001011110100001110011111",
        "01100010011011010110010100111100000100001111101001110",
        "11110100110101100101110000010111100000010110010111110",
        "01000110010001100100101101111111001101100110001111110",
        "10100001111101001101111111000010101000110101111111000",
        "10111111110000100000010011111000010101100010111111101",
        "00001000100001000011011010001001110111110101100011111",
        "00101010110001101101111110101100000110011110101011001",
        "01101000101100000110010110001101011001100100100011000",
        "00011111101110100111010111111000110000010011111111001",
        "00011100101111101010001110110000001100011101011001100",
        "11100011011101000110001011110100001010100101100001000",
        "00101100000011010010010010010011011001101001111000110",
        "10101111100101011110011000110010010100111001011110110",
        "11011100001010110011100100010101000001001111010111001",
        "00111011110010010000110111101100011100110110110000010",
        "10111100111111011001110010111100001011110001100000001",
        "10010110010100101101000011011101000111000110110100000",
        "00100101111001110011001110010000100100111000111001101",
        "10110011001100111101101010100010011011110001101010111",
        "10010001101111101100100101000011100101101011011111011",
        "00000011001111101100100111101010110000000000010110001",
        "11001100101000110111111111001100011110110101101100001",
        "11011111111110000110011000001101001100010100100000100",
        "01100000110010100010110101010100011000001011110010111",
        "00010010001010111100011011111101001001111101111111111",
        "00000000100110110100101110001010000111010010100010001",
        "11111110101111000100011110101111101100010010101010100",
        "10000010111001101000100010001111001010001101100010011",
        "10111010001110010110101011111111101111000011111110111",
        "10111010100010001000000001110000010111111000010000110",
        "10111010111101001000111000101100111100111010011100100",
        "10000010000000001000001000000010110011111000110100010",
        "11111110100101101110000101100001101000010000111001010",
    ]
}
