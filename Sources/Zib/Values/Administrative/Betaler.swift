/// zib Betaler (payer): the patient's health insurance policy with the insurer (a Zorgaanbieder
/// identified by UZOVI).
///
/// ```swift
/// let payer = result.values.compactMap { $0 as? Betaler }.first
/// payer?.insuranceType.code      // "B" (basisverzekering)
/// ```
public struct Betaler: ZibValue, Hashable {
    public static let zibName = "Betaler"
    public var source: EntrySource
    public var insurer: Zorgaanbieder
    public var policyNumber: String
    /// VerzekeringssoortCodelijst concept.
    public var insuranceType: Code
    /// Policy start and end, as the export gives them; either may be missing (a running policy has no end).
    public var start: String?
    public var end: String?

    public init(source: EntrySource, insurer: Zorgaanbieder, policyNumber: String, insuranceType: Code, start: String?, end: String?) {
        self.source = source
        self.insurer = insurer
        self.policyNumber = policyNumber
        self.insuranceType = insuranceType
        self.start = start
        self.end = end
    }
}
