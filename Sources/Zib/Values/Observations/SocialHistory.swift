/// What a professional coded about the patient, shared by the social-history zibs and
/// FunctioneleOfMentaleStatus: the coded value, when it was observed and for which period it holds.
///
/// ```swift
/// let finding = CodedFinding(value: Code(system: "http://snomed.info/sct", code: "8517006", display: "Ex-smoker"),
///                            date: "2026-03-01", start: "1980", end: "2015", comment: nil)
/// let tobacco = TabakGebruik(source: source, finding: finding, amount: .packYears("30"))
/// ```
public struct CodedFinding: Sendable, Hashable {
    public var value: Code
    /// When the observation was made.
    public var date: String
    /// When the situation started and ended, if known (e.g. years of smoking).
    public var start: String?
    public var end: String?
    public var comment: String?

    public init(value: Code, date: String, start: String?, end: String?, comment: String?) {
        self.value = value
        self.date = date
        self.start = start
        self.end = end
        self.comment = comment
    }
}

/// zib Woonsituatie: the kind of home (WoningTypeCodelijst).
public struct Woonsituatie: ZibValue, Hashable {
    public static let zibName = "Woonsituatie"
    public var source: EntrySource
    public var finding: CodedFinding

    public init(source: EntrySource, finding: CodedFinding) {
        self.source = source
        self.finding = finding
    }
}

/// zib TabakGebruik: the status (TabakGebruikStatus, SNOMED CT) and optionally an amount.
public struct TabakGebruik: ZibValue, Hashable {
    public static let zibName = "TabakGebruik"
    public var source: EntrySource
    public var finding: CodedFinding
    public var amount: Amount?

    /// The zib has two amount components: use per period, and pack years over a lifetime.
    public enum Amount: Sendable, Hashable {
        /// E.g. `{cigarettes}/d` or `{cigarette packs}/wk`.
        case perPeriod(MeasuredQuantity)
        /// Decimal text in `{PackYears}`.
        case packYears(String)
    }

    public init(source: EntrySource, finding: CodedFinding, amount: Amount?) {
        self.source = source
        self.finding = finding
        self.amount = amount
    }
}

/// zib AlcoholGebruik: the status (AlcoholGebruikStatus, SNOMED CT) and optionally an amount.
public struct AlcoholGebruik: ZibValue, Hashable {
    public static let zibName = "AlcoholGebruik"
    public var source: EntrySource
    public var finding: CodedFinding
    /// E.g. 4 `{glasses}/wk`.
    public var amount: MeasuredQuantity?

    public init(source: EntrySource, finding: CodedFinding, amount: MeasuredQuantity?) {
        self.source = source
        self.finding = finding
        self.amount = amount
    }
}

/// zib DrugsGebruik: the status (DrugsGebruikStatus, SNOMED CT) and the amount as free text.
public struct DrugsGebruik: ZibValue, Hashable {
    public static let zibName = "DrugsGebruik"
    public var source: EntrySource
    public var finding: CodedFinding
    public var amount: String?

    public init(source: EntrySource, finding: CodedFinding, amount: String?) {
        self.source = source
        self.finding = finding
        self.amount = amount
    }
}

/// zib FunctioneleOfMentaleStatus: what was assessed (StatusNaam) and the finding (StatusWaarde, in
/// `finding.value`), both from one code system (ICF, Omaha, NOC or SNOMED CT).
///
/// ```swift
/// let walking = FunctioneleOfMentaleStatus(source: source, name: icf("d450", "Lopen"),
///                                          finding: CodedFinding(value: icf("d450.2", "Lopen: MATIGE beperking"), …),
///                                          category: .functional)
/// ```
public struct FunctioneleOfMentaleStatus: ZibValue, Hashable {
    public static let zibName = "FunctioneleOfMentaleStatus"
    public var source: EntrySource
    /// StatusNaam: the function or mental state assessed, e.g. ICF `d450` Lopen.
    public var name: Code
    /// `finding.value` is the StatusWaarde, e.g. ICF `d450.2` (moderate limitation).
    public var finding: CodedFinding
    public var category: Category

    /// The zib's two categories; the BgZ query selects on exactly these codes.
    public enum Category: String, Sendable, Hashable, CaseIterable {
        case functional, mental

        public var code: Code {
            switch self {
            case .functional: Code(system: ZibCodeSystem.snomed, code: "118228005", display: "Functional finding")
            case .mental: Code(system: ZibCodeSystem.snomed, code: "384821006", display: "Mental state, behavior and/or psychosocial function finding")
            }
        }
    }

    public init(source: EntrySource, name: Code, finding: CodedFinding, category: Category) {
        self.source = source
        self.name = name
        self.finding = finding
        self.category = category
    }
}
