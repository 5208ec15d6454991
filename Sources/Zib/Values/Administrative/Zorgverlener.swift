/// zib Zorgverlener (health professional): a professional member of the PZC, in their role in this
/// care team and at their organisation (zib Zorgaanbieder).
///
/// ```swift
/// let gp = result.values.compactMap { $0 as? Zorgverlener }.first { $0.memberID == "m-gp" }
/// gp?.identifiers.uzi      // "999900101"
/// ```
public struct Zorgverlener: ZibValue, Hashable {
    public static let zibName = "Zorgverlener"
    public var source: EntrySource
    public var memberID: String
    public var name: PersonName
    public var telecom: [Telecom]
    public var identifiers: Identifiers
    /// Specialism as coded by the PZC (UZI role code or AGB specialism).
    public var specialty: Code?
    /// The role in this care team as the PZC names it, e.g. `huisarts`.
    public var roleName: String?
    public var organization: Zorgaanbieder?

    /// UZI, AGB-Z and BIG numbers; any may be missing.
    public struct Identifiers: Sendable, Hashable {
        public var uzi: String?
        public var agb: String?
        public var big: String?

        public init(uzi: String? = nil, agb: String? = nil, big: String? = nil) {
            self.uzi = uzi
            self.agb = agb
            self.big = big
        }
    }

    public init(
        source: EntrySource, memberID: String, name: PersonName, telecom: [Telecom] = [], identifiers: Identifiers,
        specialty: Code? = nil, roleName: String? = nil, organization: Zorgaanbieder? = nil
    ) {
        self.source = source
        self.memberID = memberID
        self.name = name
        self.telecom = telecom
        self.identifiers = identifiers
        self.specialty = specialty
        self.roleName = roleName
        self.organization = organization
    }
}

/// zib Zorgaanbieder (healthcare provider): an organisation, identified by URA and/or AGB-Z, or a
/// health insurer identified by UZOVI.
public struct Zorgaanbieder: ZibValue, Hashable {
    public static let zibName = "Zorgaanbieder"
    public var source: EntrySource
    /// The id the resource id is made from (the PZC organisation id, or `uzovi-<number>` for insurers).
    public var organizationID: String
    public var name: String
    public var ura: String?
    public var agb: String?
    public var uzovi: String?
    /// Organisation type (RoleCodeNL zorgaanbiedertype), e.g. `Z3` huisartspraktijk.
    public var type: Code?
    public var address: Address?

    public init(
        source: EntrySource, organizationID: String, name: String, ura: String? = nil, agb: String? = nil,
        uzovi: String? = nil, type: Code? = nil, address: Address? = nil
    ) {
        self.source = source
        self.organizationID = organizationID
        self.name = name
        self.ura = ura
        self.agb = agb
        self.uzovi = uzovi
        self.type = type
        self.address = address
    }
}
