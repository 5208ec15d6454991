import FHIR

/// Builders for the nl-core data types (HumanName, Address, ContactPoint), extensions and
/// practitioner references, shared by the administrative and clinical STU3 renderers.
extension STU3 {
    static let bsnSystem = "http://fhir.nl/fhir/NamingSystem/bsn"
    static let practitionerRoleReferenceURL = "http://nictiz.nl/fhir/StructureDefinition/practitionerrole-reference"

    /// `{"url": url, "<valueKey>": value}`.
    static func `extension`(_ url: String, _ valueKey: String, _ value: FHIRValue) -> FHIRValue {
        ["url": .string(url), valueKey: value]
    }

    /// The `_element` companion of a primitive carrying a zib code in the code-specification extension,
    /// e.g. `"_gender": {"extension": [...]}` next to `"gender": "female"`.
    static func codeSpecification(_ zib: Code) -> FHIRValue {
        ["extension": [`extension`(codeSpecificationURL, "valueCodeableConcept", ["coding": [coding(zib)]])]]
    }

    static func identifier(_ system: String, _ value: String?) -> FHIRValue? {
        value.map { ["system": .string(system), "value": .string($0)] }
    }

    /// A CodeableConcept whose text may say more than the code's display (`OTH` with text "Kind").
    static func concept(_ coded: CodedText) -> FHIRValue {
        ["coding": [coding(coded.code)], "text": .string(coded.text)]
    }

    /// nl-core-humanname: the surname parts in the own-/partner- extensions, the order of use in
    /// humanname-assembly-order (NL1 own, NL2 partner, NL3 partner-own, NL4 own-partner), as the
    /// Nictiz nl-core-patient examples do.
    static func humanName(_ name: PersonName) -> FHIRValue {
        let hasPartner = name.partnerFamily?.nonBlank != nil
        let order = switch name.usage {
        case "partner" where hasPartner: "NL2"
        case "partner-own" where hasPartner: "NL3"
        case "own-partner" where hasPartner: "NL4"
        default: "NL1"
        }
        var parts: [FHIRValue] = []
        let nameURL = "http://hl7.org/fhir/StructureDefinition/humanname-"
        if let prefix = name.prefix?.nonBlank { parts.append(`extension`(nameURL + "own-prefix", "valueString", .string(prefix))) }
        parts.append(`extension`(nameURL + "own-name", "valueString", .string(name.family)))
        if hasPartner {
            if let prefix = name.partnerPrefix?.nonBlank { parts.append(`extension`(nameURL + "partner-prefix", "valueString", .string(prefix))) }
            if let family = name.partnerFamily { parts.append(`extension`(nameURL + "partner-name", "valueString", .string(family))) }
        }
        let display = PersonNameFormatter.display(name)
        let given = name.given ?? []
        // ISO 21090 qualifiers tell official first names (BR) from initials (IN).
        let qualifier = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier"
        var givenValues: [FHIRValue] = given.map { .string($0) }
        var givenExtras: [FHIRValue] = given.map { _ in ["extension": [`extension`(qualifier, "valueCode", "BR")]] }
        if let initials = name.initials?.nonBlank {
            givenValues.append(.string(initials))
            givenExtras.append(["extension": [`extension`(qualifier, "valueCode", "IN")]])
        }
        var object: FHIRObject = [
            "extension": [`extension`(nameURL + "assembly-order", "valueCode", .string(order))],
            "text": .string(display),
            "family": .string(surname(of: display, name: name)),
            "_family": ["extension": .array(parts)],
        ]
        if !givenValues.isEmpty {
            object["given"] = .array(givenValues)
            object["_given"] = .array(givenExtras)
        }
        return .object(object)
    }

    /// The surname as used, which is the display without the given names.
    private static func surname(of display: String, name: PersonName) -> String {
        let first = name.given?.joined(separator: " ") ?? name.initials ?? ""
        guard !first.isEmpty, display.hasPrefix(first + " ") else { return display }
        return String(display.dropFirst(first.count + 1))
    }

    /// nl-core-address: the street, house number and suffix both as `line` text and as ADXP parts.
    static func address(_ address: Address, use: String) -> FHIRValue {
        let adxp = "http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-"
        var parts: [FHIRValue] = [
            `extension`(adxp + "streetName", "valueString", .string(address.street)),
            `extension`(adxp + "houseNumber", "valueString", .string(address.houseNumber)),
        ]
        var line = "\(address.street) \(address.houseNumber)"
        if let suffix = address.houseNumberSuffix?.nonBlank {
            parts.append(`extension`(adxp + "buildingNumberSuffix", "valueString", .string(suffix)))
            line += suffix
        }
        var object: FHIRObject = [
            "use": .string(use),
            "line": [.string(line)],
            "_line": [["extension": .array(parts)]],
            "city": .string(address.city),
            "postalCode": .string(address.postalCode),
        ]
        if let country = address.country?.nonBlank { object["country"] = .string(country) }
        return .object(object)
    }

    /// nl-core-contactpoint: phones carry the zib TelecomType (mobile or landline).
    static func contactPoint(_ telecom: Telecom) -> FHIRValue {
        var object: FHIRObject = [:]
        if telecom.system == "phone" {
            let type = telecom.use == "mobile"
                ? coding("http://hl7.org/fhir/v3/AddressUse", "MC", "Mobiel telefoonnummer")
                : coding("urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.22.1", "LL", "Vast telefoonnummer")
            object["extension"] = [
                `extension`("http://nictiz.nl/fhir/StructureDefinition/zib-ContactInformation-TelecomType", "valueCodeableConcept", ["coding": [type]])
            ]
        }
        object["system"] = .string(telecom.system)
        object["value"] = .string(telecom.value)
        if let use = telecom.use?.nonBlank { object["use"] = .string(use) }
        return .object(object)
    }
}

extension STU3RenderContext {
    /// Like ``reference(toMember:)``, plus for professionals the practitionerrole-reference extension
    /// pointing at their PractitionerRole in this care team, as zib2017 asks on every practitioner reference.
    func referenceWithRole(toMember id: String) -> FHIRValue? {
        guard var reference = reference(toMember: id)?.objectValue else { return nil }
        if let member = member(id), member.kind == "professional" {
            let role: FHIRValue = ["reference": .string("PractitionerRole/\(ids.id(for: member.id, role: "role"))"), "display": .string(Self.roleDisplay(member))]
            reference.insert([["url": .string(STU3.practitionerRoleReferenceURL), "valueReference": role]], forKey: "extension", at: 0)
        }
        return .object(reference)
    }

    /// "Eva Kuipers — huisarts, Huisartsenpraktijk De Linde".
    static func roleDisplay(_ member: Member) -> String {
        let what = [member.role?.nonBlank ?? member.specialty?.display, member.organization?.name].compactMap { $0 }.joined(separator: ", ")
        let name = PersonNameFormatter.display(member.name)
        return what.isEmpty ? name : "\(name) — \(what)"
    }
}
