import FHIR

/// The view of a resource that PGO apps receive: every BSN (burgerservicenummer) masked.
///
/// MedMij forbids handing the BSN to a PGO: the identifier keeps its system, but its value is replaced
/// by the `data-absent-reason` extension with `masked`, as the BgZ qualification fixtures show. Any
/// occurrence of the number in the narrative is blanked too. The BSN system is recognised by its URI
/// and by its OID form (`urn:oid:2.16.840.1.113883.2.4.6.3`), which EPD systems still send.
///
/// ```swift
/// BSNMasking.masked(patient)   // nil when the resource carries no BSN, else the masked copy
/// ```
enum BSNMasking {
    static let bsnSystem = "http://fhir.nl/fhir/NamingSystem/bsn"
    /// The NamingSystem URI and the OID of the BSN; either marks an identifier as a BSN.
    static let bsnSystems: Set<String> = [bsnSystem, "urn:oid:2.16.840.1.113883.2.4.6.3"]
    static let dataAbsentReason = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"

    /// The masked resource, or nil when there was nothing to mask.
    static func masked(_ resource: FHIRResource) -> FHIRResource? {
        var numbers = Set<String>()
        let content = mask(.object(resource.content), numbers: &numbers)
        guard !numbers.isEmpty, var object = content.objectValue else { return nil }
        if var text = object["text"]?.objectValue, var div = text["div"]?.stringValue {
            for number in numbers { div = div.replacingAll(number, with: "*********") }
            text["div"] = .string(div)
            object["text"] = .object(text)
        }
        return try? FHIRResource(object)
    }

    private static func mask(_ value: FHIRValue, numbers: inout Set<String>) -> FHIRValue {
        switch value {
        case .object(var object):
            if let system = object["system"]?.stringValue, bsnSystems.contains(system), let number = object["value"]?.stringValue {
                numbers.insert(number)
                var masked = FHIRObject()
                for member in object.members {
                    if member.key == "value" {
                        masked["_value"] = [
                            "extension": [["url": .string(dataAbsentReason), "valueCode": "masked"]]
                        ]
                    } else if member.key != "_value" {
                        masked[member.key] = member.value
                    }
                }
                return .object(masked)
            }
            for index in object.members.indices {
                object.members[index].value = mask(object.members[index].value, numbers: &numbers)
            }
            return .object(object)
        case .array(let elements):
            return .array(elements.map { mask($0, numbers: &numbers) })
        default:
            return value
        }
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }
}
