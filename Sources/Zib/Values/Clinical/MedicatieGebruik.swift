/// zib MedicatieGebruik (medication use): a medicine the patient uses or used, with its product
/// (zib FarmaceutischProduct: a G-Standaard/ATC code or only a name).
///
/// ```swift
/// let use = result.values.compactMap { $0 as? MedicatieGebruik }.first
/// use?.productName       // "METFORMINE TABLET 500MG"
/// ```
public struct MedicatieGebruik: ZibValue, Hashable {
    public static let zibName = "MedicatieGebruik"
    public var source: EntrySource
    public var product: Code?
    public var productName: String
    public var dosage: String
    public var start: String?
    public var end: String?
    public var asAgreed: Bool?
    /// Member id of the prescriber, checked to be a professional.
    public var prescriber: String?
    public var reason: String?
    /// Who told: the member id (or `patient`) that wrote the entry, checked to exist.
    public var informant: String?

    public init(
        source: EntrySource, product: Code?, productName: String, dosage: String, start: String?, end: String?,
        asAgreed: Bool?, prescriber: String?, reason: String?, informant: String?
    ) {
        self.source = source
        self.product = product
        self.productName = productName
        self.dosage = dosage
        self.start = start
        self.end = end
        self.asAgreed = asAgreed
        self.prescriber = prescriber
        self.reason = reason
        self.informant = informant
    }
}
