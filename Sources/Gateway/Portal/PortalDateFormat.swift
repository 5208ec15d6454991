import Foundation

/// Dates as the portal writes them: Dutch time (Europe/Amsterdam, the patient's clock, not UTC), the
/// month in words, the year only when it is not this year ("3 maart, 14:02"; "3 March 2025").
///
/// Month names are spelled out here rather than taken from a locale, so the page reads the same on
/// every system whatever locale data it has.
struct PortalDateFormat: Sendable {
    let language: FrontLanguage
    /// The moment "this year" is judged against.
    let now: Date

    static let timeZone = TimeZone(identifier: "Europe/Amsterdam") ?? .gmt

    private static let dutchMonths = [
        "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december",
    ]
    private static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.timeZone
        return calendar
    }

    /// "3 maart" or "3 March"; "3 maart 2025" in another year.
    func day(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let months = language == .nl ? Self.dutchMonths : Self.englishMonths
        let month = months[((parts.month ?? 1) - 1 + 12) % 12]
        var text = "\(parts.day ?? 1) \(month)"
        if parts.year != calendar.component(.year, from: now) { text += " \(parts.year ?? 0)" }
        return text
    }

    /// "14:02", 24-hour clock in both languages.
    func time(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let hour = parts.hour ?? 0
        let minute = parts.minute ?? 0
        return "\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    /// The machine-readable form for a `<time datetime>` attribute (UTC, ISO 8601).
    static func machine(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}
