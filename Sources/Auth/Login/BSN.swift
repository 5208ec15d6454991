/// A burgerservicenummer (Dutch citizen service number): nine digits passing the eleven-test.
///
/// Only ever compared and stored where it already is (the PZC record); never logged, never in a URL.
///
/// ```swift
/// try BSN(parsing: "9999 11 120").digits   // "999911120"
/// try BSN(parsing: "12345678")             // eight digits: a leading zero is implied → "012345678"
/// ```
public struct BSN: Sendable, Hashable {
    public let digits: String

    /// Accepts eight or nine digits, ignoring spaces, dots and hyphens people type for grouping.
    public init(parsing text: String) throws(LoginFailure) {
        let kept = text.filter { !" .-".contains($0) }
        guard (8...9).contains(kept.count), kept.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .malformedBSN }
        let digits = kept.count == 8 ? "0" + kept : kept
        guard Self.passesElevenTest(digits) else { throw .bsnFailsElevenTest }
        self.digits = digits
    }

    /// 9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 (mod 11), and not all zeros.
    public static func passesElevenTest(_ digits: String) -> Bool {
        let values = digits.compactMap(\.wholeNumberValue)
        guard values.count == 9, values.contains(where: { $0 != 0 }) else { return false }
        let weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
        return zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11 == 0
    }
}

extension BSN: CustomStringConvertible {
    /// Masked, so that string interpolation into a log line cannot leak it.
    public var description: String { "BSN(*********)" }
}
