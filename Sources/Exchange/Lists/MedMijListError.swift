/// One problem found in a list, with the line it is on when libxml2 knows it.
public struct MedMijListIssue: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line in the offered XML; nil when the problem is not tied to a place.
    public var line: Int?
    /// libxml2's message (or the mapper's), without the trailing newline.
    public var message: String

    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}

/// Why a list was refused. The list in force is never touched when one of these is returned.
///
/// ```swift
/// if case .failure(.olderSequenceNumber(let offered, let inForce)) = await store.accept(xml: bytes, kind: .whitelist) {
///     logger.warning("stale Whitelist \(offered) < \(inForce), keeping the one in force")
/// }
/// ```
public enum MedMijListError: Error, Sendable, Hashable {
    /// Why the prescan refused the bytes before libxml2 saw them.
    public enum UnsafeReason: Sendable, Hashable {
        /// A `<!DOCTYPE`: the lists never need one and every entity attack does.
        case doctype
        /// An `<!ENTITY` declaration.
        case entity
        /// Not UTF-8 (or not starting with `<`): a byte scan cannot see through other encodings.
        case notUTF8
    }

    /// DOCTYPE, ENTITY or a non-UTF-8 body; `line` is where the scan stopped.
    case unsafeXML(UnsafeReason, line: Int)
    /// Not well-formed XML; the first error libxml2 reported.
    case malformedXML(MedMijListIssue)
    /// The document is another MedMij list than the one offered for (e.g. an OCL offered as ZAL).
    case wrongList(expected: MedMijListKind, found: MedMijListKind)
    /// Every XSD violation libxml2 reported (the first 100), each with its line.
    case invalidAgainstSchema([MedMijListIssue])
    /// The Volgnummer is lower than the one of the list in force.
    case olderSequenceNumber(offered: UInt64, inForce: UInt64)
    /// Same Volgnummer as the list in force but different content: a republication must raise it.
    case conflictingSequenceNumber(UInt64)
    /// A Volgnummer that is a valid xs:positiveInteger but does not fit in 64 bits.
    case sequenceNumberOutOfRange(String)
    /// The project's XSD for this kind could not be read or compiled (a deployment fault).
    case schemaUnavailable(MedMijListKind, reason: String)
}
