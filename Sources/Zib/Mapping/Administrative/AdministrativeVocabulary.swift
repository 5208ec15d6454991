/// The PZC's words for relationships, contact roles, insurance types and marital status, translated to
/// the zib code lists (RelatieCodelijst, RolCodelijst, VerzekeringssoortCodelijst, BurgerlijkeStaatCodelijst).
enum AdministrativeVocabulary {
    // zib-level systems (OIDs); the renderer writes them as its FHIR version's URIs.
    static let roleCode = ZibCodeSystem.roleCode
    static let nullFlavor = ZibCodeSystem.nullFlavor
    /// Vektis COD472, the code system of RolCodelijst.
    static let cod472 = ZibCodeSystem.contactRole
    static let verzekeringssoort = "urn:oid:2.16.840.1.113883.2.4.3.11.60.101.5.1"

    /// RelatieCodelijst. Its v3 RoleCodes are gendered (HUSB, WIFE, SONC, DAUC…); the PZC's ungendered
    /// words (`child`, `parent`) therefore become `OTH` with the Dutch word as text, as the list allows.
    static func relationship(_ word: String) -> CodedText? {
        let gendered: [String: (String, String)] = [
            "partner": ("DOMPART", "Partner"), "husband": ("HUSB", "Echtgenoot"), "wife": ("WIFE", "Echtgenote"),
            "father": ("FTH", "Vader"), "mother": ("MTH", "Moeder"), "son": ("SONC", "Zoon"),
            "daughter": ("DAUC", "Dochter"), "brother": ("BRO", "Broer"), "sister": ("SIS", "Zuster"),
            "grandfather": ("GRFTH", "Opa"), "grandmother": ("GRMTH", "Oma"), "grandson": ("GRNDSON", "Kleinzoon"),
            "granddaughter": ("GRNDDAU", "Kleindochter"), "uncle": ("UNCLE", "Oom"), "aunt": ("AUNT", "Tante"),
            "nephew": ("NEPHEW", "Neef"), "niece": ("NIECE", "Nicht"),
        ]
        if let (code, display) = gendered[word] {
            return CodedText(Code(system: roleCode, code: code, display: display))
        }
        let ungendered: [String: String] = [
            "child": "Kind", "parent": "Ouder", "sibling": "Broer of zus", "friend": "Vriend(in)",
            "neighbour": "Buur", "neighbor": "Buur", "grandchild": "Kleinkind", "grandparent": "Grootouder", "other": "Anders",
        ]
        guard let text = ungendered[word] else { return nil }
        return CodedText(Code(system: nullFlavor, code: "OTH", display: "Anders"), text: text)
    }

    /// RolCodelijst for the role the patient gave a contact person.
    static func role(_ word: String) -> CodedText? {
        let roles: [String: (String, String)] = [
            "first-contact": ("1", "Eerste relatie/contactpersoon"), "second-contact": ("2", "Tweede relatie/contactpersoon"),
            "curator": ("3", "Curator (juridisch)"), "guardian": ("11", "Voogd"), "administrator": ("14", "Bewindvoerder"),
            "mentor": ("15", "Mentor"), "contact": ("23", "Contactpersoon"),
            "legal-representative": ("24", "Wettelijke vertegenwoordiger"),
        ]
        if let (code, display) = roles[word] { return CodedText(Code(system: cod472, code: code, display: display)) }
        // A mantelzorger has no code of its own in COD472; "Anders" keeps the word.
        if word == "carer" { return CodedText(Code(system: cod472, code: "9", display: "Anders"), text: "Mantelzorger") }
        return nil
    }

    /// Friends and neighbours have a RolCodelijst code of their own, so they keep it even without a role.
    static func impliedRole(ofRelationship word: String) -> CodedText? {
        switch word {
        case "friend": CodedText(Code(system: cod472, code: "20", display: "Vriend(in)/kennis"))
        case "neighbour", "neighbor": CodedText(Code(system: cod472, code: "19", display: "Buur"))
        default: nil
        }
    }

    static func insuranceType(_ word: String) -> Code? {
        switch word {
        case "basis": Code(system: verzekeringssoort, code: "B", display: "Basis verzekerd")
        case "aanvullend": Code(system: verzekeringssoort, code: "A", display: "Aanvullend verzekerd")
        case "tand": Code(system: verzekeringssoort, code: "T", display: "Tandverzekering")
        default: nil
        }
    }

    /// Accepts the v3 code (`M`) or the English word (`married`).
    static func maritalStatus(_ word: String) -> BurgerlijkeStaat? {
        if let status = BurgerlijkeStaat(rawValue: word) { return status }
        switch word.lowercased() {
        case "divorced": return .divorced
        case "married": return .married
        case "never-married", "single", "unmarried": return .neverMarried
        case "domestic-partner", "registered-partnership": return .domesticPartner
        case "widowed": return .widowed
        default: return nil
        }
    }
}
