/// A half-open span of time `[lowerBound, upperBound)` in milliseconds since 1970-01-01T00:00:00Z.
///
/// Every FHIR date is really a range: `2017` is all of 2017, `2017-03-01T10:00:00Z` is one second.
/// Search compares ranges, so both the index and the query hold ranges. `Int64.min` and `Int64.max`
/// stand for an open end (a Period without `start` or `end`); they are compared, never added to.
///
/// ```swift
/// let year = DateRange(fhirDate: "2017")!
/// year.lowerBound  // 1483228800000  (2017-01-01T00:00:00Z)
/// year.upperBound  // 1514764800000  (2018-01-01T00:00:00Z, excluded)
/// DateRange(fhirDate: "2017-06-01T12:00:00+02:00")!.lowerBound  // 1496311200000 (10:00Z)
/// ```
public struct DateRange: Sendable, Hashable, CustomStringConvertible {
    /// First millisecond inside the range; `Int64.min` when open below.
    public var lowerBound: Int64
    /// First millisecond after the range; `Int64.max` when open above.
    public var upperBound: Int64

    /// `lowerBound` included, `upperBound` excluded; pass `.min`/`.max` for open ends.
    public init(lowerBound: Int64, upperBound: Int64) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    /// All of time.
    public static let unbounded = DateRange(lowerBound: .min, upperBound: .max)

    /// The range a FHIR `date`, `dateTime` or `instant` stands for, at the precision it is written in.
    ///
    /// Accepted: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, and `YYYY-MM-DDThh:mm[:ss[.fraction]]` followed by
    /// `Z`, `+hh:mm`, `-hh:mm` or nothing. **A time without a zone is taken as UTC**: FHIR requires a
    /// zone whenever a time is given, so such values are already non-conformant, and UTC is the one
    /// choice that does not depend on where the server runs. Dates without a time (`2017-03-01`) are
    /// UTC days for the same reason. Fractions beyond milliseconds are truncated. Returns nil for
    /// anything else, including impossible dates such as `2017-02-29`.
    public init?(fhirDate text: String) {
        guard let range = FHIRDateParser.parse(text) else { return nil }
        self = range
    }

    /// Whether `other` lies completely inside this range.
    public func contains(_ other: DateRange) -> Bool {
        lowerBound <= other.lowerBound && other.upperBound <= upperBound
    }

    /// Whether the two ranges share at least one millisecond.
    public func overlaps(_ other: DateRange) -> Bool {
        lowerBound < other.upperBound && other.lowerBound < upperBound
    }

    public var description: String {
        let lower = lowerBound == .min ? "-∞" : String(lowerBound)
        let upper = upperBound == .max ? "+∞" : String(upperBound)
        return "[\(lower), \(upper))"
    }
}

/// Parses FHIR date/dateTime/instant text into a ``DateRange``, byte by byte, without Foundation:
/// it runs for every date element of every resource written, and its result must not depend on the
/// platform's calendar or time zone settings.
enum FHIRDateParser {
    static let millisPerSecond: Int64 = 1_000
    static let millisPerMinute: Int64 = 60_000
    static let millisPerDay: Int64 = 86_400_000

    static func parse(_ text: String) -> DateRange? {
        var text = text
        // withUTF8 reads native strings in place; only bridged strings are copied first.
        return text.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> DateRange? {
        var cursor = Cursor(bytes: bytes)
        guard let year = cursor.digits(4), year >= 1 else { return nil }
        guard cursor.consume(UInt8(ascii: "-")) else {
            guard cursor.isAtEnd else { return nil }
            return range(fromDay: days(year: year, month: 1, day: 1), toDay: days(year: year + 1, month: 1, day: 1))
        }
        guard let month = cursor.digits(2), (1...12).contains(month) else { return nil }
        guard cursor.consume(UInt8(ascii: "-")) else {
            guard cursor.isAtEnd else { return nil }
            let next = month == 12 ? (year + 1, 1) : (year, month + 1)
            return range(fromDay: days(year: year, month: month, day: 1), toDay: days(year: next.0, month: next.1, day: 1))
        }
        guard let day = cursor.digits(2), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        let dayNumber = days(year: year, month: month, day: day)
        guard cursor.consume(UInt8(ascii: "T")) else {
            guard cursor.isAtEnd else { return nil }
            return range(fromDay: dayNumber, toDay: dayNumber + 1)
        }
        return parseTime(&cursor, dayNumber: dayNumber)
    }

    private static func parseTime(_ cursor: inout Cursor, dayNumber: Int64) -> DateRange? {
        guard let hour = cursor.digits(2), hour <= 23, cursor.consume(UInt8(ascii: ":")),
            let minute = cursor.digits(2), minute <= 59
        else { return nil }
        var start = dayNumber * millisPerDay + Int64(hour) * 3_600_000 + Int64(minute) * millisPerMinute
        var width = millisPerMinute
        if cursor.consume(UInt8(ascii: ":")) {
            // 60 is a leap second, which the FHIR regex allows; it simply runs into the next minute.
            guard let second = cursor.digits(2), second <= 60 else { return nil }
            start += Int64(second) * millisPerSecond
            width = millisPerSecond
            if cursor.consume(UInt8(ascii: ".")) {
                var fractionDigits = 0
                var millis: Int64 = 0
                while let digit = cursor.digit() {
                    if fractionDigits < 3 { millis = millis * 10 + Int64(digit) }
                    fractionDigits += 1
                }
                guard fractionDigits > 0 else { return nil }
                // ".5" is a tenth of a second wide, ".123456" one millisecond (the finest we keep).
                let kept = min(fractionDigits, 3)
                for _ in kept..<3 { millis *= 10 }
                start += millis
                width = kept == 1 ? 100 : kept == 2 ? 10 : 1
            }
        }
        if !cursor.isAtEnd {
            guard let offset = parseZone(&cursor), cursor.isAtEnd else { return nil }
            start -= offset
        }
        return DateRange(lowerBound: start, upperBound: start + width)
    }

    /// The zone offset in milliseconds east of UTC: `Z`, `+hh:mm` or `-hh:mm` (at most 14 hours).
    private static func parseZone(_ cursor: inout Cursor) -> Int64? {
        if cursor.consume(UInt8(ascii: "Z")) { return 0 }
        let sign: Int64
        if cursor.consume(UInt8(ascii: "+")) {
            sign = 1
        } else if cursor.consume(UInt8(ascii: "-")) {
            sign = -1
        } else {
            return nil
        }
        guard let hours = cursor.digits(2), cursor.consume(UInt8(ascii: ":")), let minutes = cursor.digits(2),
            minutes <= 59, hours * 60 + minutes <= 14 * 60
        else { return nil }
        return sign * Int64(hours * 60 + minutes) * millisPerMinute
    }

    private static func range(fromDay: Int64, toDay: Int64) -> DateRange {
        DateRange(lowerBound: fromDay * millisPerDay, upperBound: toDay * millisPerDay)
    }

    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Reads ASCII digits and punctuation from UTF-8 bytes; lives only inside `withUTF8`.
    struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var isAtEnd: Bool { index == bytes.count }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int? {
            guard index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else {
                return nil
            }
            defer { index += 1 }
            return Int(bytes[index] - UInt8(ascii: "0"))
        }

        /// Exactly `count` digits as a number, or nil (and the cursor where the first non-digit was).
        mutating func digits(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }
    }
}
