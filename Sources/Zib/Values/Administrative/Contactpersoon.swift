/// zib Contactpersoon: a family member or friend in the PZC, with their relationship to the patient
/// and, when the patient named them as contact person, their role (first contact, legal representative…).
///
/// Rendered twice in STU3: as a `Patient.contact` (the BgZ way) and as a RelatedPerson that entries
/// written by this member can refer to.
///
/// ```swift
/// let partner = Contactpersoon(source: source, memberID: "m-lotte", name: name,
///                              relationships: [Contactpersoon.Relatie.partner], roles: [])
/// ```
public struct Contactpersoon: ZibValue, Hashable {
    public static let zibName = "Contactpersoon"
    public var source: EntrySource
    public var memberID: String
    public var name: PersonName
    public var telecom: [Telecom]
    /// RelatieCodelijst concepts (HL7 v3 RoleCode, or NullFlavor OTH with a Dutch text).
    public var relationships: [CodedText]
    /// RolCodelijst concepts (Vektis COD472).
    public var roles: [CodedText]

    public init(
        source: EntrySource, memberID: String, name: PersonName, telecom: [Telecom] = [],
        relationships: [CodedText], roles: [CodedText]
    ) {
        self.source = source
        self.memberID = memberID
        self.name = name
        self.telecom = telecom
        self.relationships = relationships
        self.roles = roles
    }
}

/// A zib code with the text shown to people, for when the code alone does not say enough
/// (`OTH` "Anders" with text "Kind").
public struct CodedText: Sendable, Hashable {
    public var code: Code
    public var text: String

    public init(_ code: Code, text: String? = nil) {
        self.code = code
        self.text = text ?? code.display
    }
}
