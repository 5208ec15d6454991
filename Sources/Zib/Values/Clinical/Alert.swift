/// zib Alert: a warning about the patient ("let op"), possibly about a problem or allergy.
///
/// ```swift
/// let alert = result.values.compactMap { $0 as? Alert }.first
/// alert?.concern?.kind    // .problem
/// ```
public struct Alert: ZibValue, Hashable {
    public static let zibName = "Alert"
    public var source: EntrySource
    /// AlertNaamCodelijst concept.
    public var alert: Code
    public var active: Bool
    public var concern: Concern?
    public var comment: String?
    public var author: String?

    /// The problem or allergy entry the alert is about.
    public struct Concern: Sendable, Hashable {
        /// Which zib the concern is; each renderer knows what resource that zib becomes.
        public var kind: Kind
        public var entryID: String
        public var display: String

        /// The zibs an alert can be about (zib Alert's Conditie: a Probleem or an AllergieIntolerantie).
        public enum Kind: Sendable, Hashable, CaseIterable {
            case problem, allergy
        }

        public init(kind: Kind, entryID: String, display: String) {
            self.kind = kind
            self.entryID = entryID
            self.display = display
        }
    }

    public init(source: EntrySource, alert: Code, active: Bool, concern: Concern?, comment: String?, author: String?) {
        self.source = source
        self.alert = alert
        self.active = active
        self.concern = concern
        self.comment = comment
        self.author = author
    }
}
