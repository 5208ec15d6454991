import Foundation

/// A one-line progress bar for importing several exports: which file of how many, and how far the
/// import of that file is.
///
/// It draws only when told it is on a terminal (the import command asks whether standard output is
/// one), so output piped into a file or a CI log stays free of carriage returns.
///
/// ```swift
/// let bar = ImportProgressBar(enabled: true) { text in print(text, terminator: "") }
/// bar.update(file: 2, files: 5, name: "fertiliteit.json", done: 53, total: 106)
/// // "\r[2/5] fertiliteit.json [###############               ]  50%"
/// bar.clear()
/// ```
public final class ImportProgressBar: @unchecked Sendable {
    public let enabled: Bool
    private let width: Int
    private let write: @Sendable (String) -> Void
    // The importer reports progress from whatever task runs it; the lock keeps the last drawn state
    // consistent, which is what makes this unchecked Sendable safe.
    private let lock = NSLock()
    private var lastDrawn: String?

    public init(enabled: Bool, width: Int = 30, write: @escaping @Sendable (String) -> Void) {
        self.enabled = enabled
        self.width = max(width, 1)
        self.write = write
    }

    /// The bar's text for one moment, without the leading carriage return.
    public static func line(file: Int, files: Int, name: String, done: Int, total: Int, width: Int) -> String {
        let fraction = total > 0 ? min(max(Double(done) / Double(total), 0), 1) : 1
        let filled = Int(fraction * Double(width))
        let percent = Int(fraction * 100)
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let percentText = String(repeating: " ", count: max(0, 3 - String(percent).count)) + "\(percent)%"
        return "[\(file)/\(files)] \(name) [\(bar)] \(percentText)"
    }

    /// Redraws the bar when what it shows changed; does nothing when not enabled.
    public func update(file: Int, files: Int, name: String, done: Int, total: Int) {
        guard enabled else { return }
        let text = Self.line(file: file, files: files, name: name, done: done, total: total, width: width)
        lock.lock()
        defer { lock.unlock() }
        guard text != lastDrawn else { return }
        lastDrawn = text
        write("\r" + text + "\u{1B}[K")
    }

    /// Removes the bar so the next line of output starts clean; does nothing when nothing was drawn.
    public func clear() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        guard lastDrawn != nil else { return }
        lastDrawn = nil
        write("\r\u{1B}[K")
    }
}
