/// The normal form of text for string search: lower case, without diacritics, whitespace collapsed.
///
/// String search in FHIR is case- and accent-insensitive (`name=muller` finds "Müller"). Both the
/// index and the query go through this one function, so they always agree; the store then only needs
/// plain prefix and substring comparison.
///
/// Implemented with the standard library's Unicode tables instead of Foundation's `folding`, so the
/// stored index does not change with the platform's ICU version, and so that letters Foundation keeps
/// (`ø`, `ł`, `ĳ`, `ß`) fold to what a Dutch user types (`o`, `l`, `ij`, `ss`).
///
/// ```swift
/// SearchText.normalize("  Ĳsselstein-Müller\tvan  DER ") // "ijsselstein-muller van der"
/// ```
public enum SearchText {
    public static func normalize(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                if value == 0x20 || (value >= 0x09 && value <= 0x0D) {
                    pendingSpace = !output.isEmpty
                    continue
                }
                if pendingSpace {
                    output.append(" ")
                    pendingSpace = false
                }
                // ASCII upper case to lower case; everything else ASCII stays as it is.
                let byte = UInt8(truncatingIfNeeded: value)
                output.append(Unicode.Scalar(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte))
                continue
            }
            let properties = scalar.properties
            if properties.isWhitespace {
                pendingSpace = !output.isEmpty
                continue
            }
            // Combining accents (decomposed input such as "e\u{301}") disappear entirely.
            if properties.generalCategory == .nonspacingMark { continue }
            if pendingSpace {
                output.append(" ")
                pendingSpace = false
            }
            if let folded = LatinFolding.fold(value) {
                output.append(contentsOf: folded.unicodeScalars)
            } else {
                output.append(contentsOf: properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(output)
    }
}

/// Maps the precomposed Latin letters (Latin-1 Supplement, Latin Extended-A/B and Latin Extended
/// Additional) to their base letters in lower case, derived once from the Unicode character names:
/// "LATIN CAPITAL LETTER E WITH DIAERESIS" becomes "e", "LATIN SMALL LIGATURE IJ" becomes "ij".
/// Deriving it from names covers hundreds of letters without a hand-written table that could hold typos.
enum LatinFolding {
    private static let ranges: [ClosedRange<UInt32>] = [0x00C0...0x024F, 0x1E00...0x1EFF]

    private static let table: [[String?]] = ranges.map { range in
        range.map { value in Unicode.Scalar(value).flatMap(foldedName) }
    }

    static func fold(_ value: UInt32) -> String? {
        for (index, range) in ranges.enumerated() where range.contains(value) {
            return table[index][Int(value - range.lowerBound)]
        }
        return nil
    }

    /// The base letters named by `scalar`'s Unicode name, or nil when it is not a decorated Latin letter.
    private static func foldedName(_ scalar: Unicode.Scalar) -> String? {
        guard let name = scalar.properties.name else { return nil }
        let prefixes = ["LATIN CAPITAL LETTER ", "LATIN SMALL LETTER ", "LATIN CAPITAL LIGATURE ", "LATIN SMALL LIGATURE "]
        guard let prefix = prefixes.first(where: name.hasPrefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        var base = rest
        var tail = Substring()
        if let range = rest.firstRange(of: " WITH ") {
            base = rest[..<range.lowerBound]
            tail = rest[range.upperBound...]
        }
        switch base {
        case "SHARP S": return "ss"
        case "DOTLESS I": return "i"
        case "DOTLESS J": return "j"
        default: break
        }
        guard (1...2).contains(base.count), base.allSatisfy({ $0 >= "A" && $0 <= "Z" }) else { return nil }
        var folded = base.lowercased()
        // Digraphs such as U+01C8 "LATIN CAPITAL LETTER L WITH SMALL LETTER J" keep their second letter.
        if tail.hasPrefix("SMALL LETTER "), let letter = tail.dropFirst("SMALL LETTER ".count).first,
            tail.count == "SMALL LETTER ".count + 1
        {
            folded += letter.lowercased()
        }
        return folded
    }
}
