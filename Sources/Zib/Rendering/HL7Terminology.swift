/// The HL7 code systems whose canonical URI changed between FHIR versions, with the OID that names
/// them in the zibs. Zib values carry the OID (see ``ZibCodeSystem``); a renderer asks this table for
/// the URI its FHIR version requires.
///
/// ```swift
/// HL7Terminology.stu3System(for: "urn:oid:2.16.840.1.113883.5.1008")   // "http://hl7.org/fhir/v3/NullFlavor"
/// HL7Terminology.r4System(for: "http://hl7.org/fhir/v3/NullFlavor")    // "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"
/// HL7Terminology.stu3System(for: "http://snomed.info/sct")             // unchanged
/// ```
public enum HL7Terminology {
    struct System {
        var oid: String
        var stu3: String
        var r4: String
    }

    static let systems: [System] = [
        v3(ZibCodeSystem.administrativeGender, "AdministrativeGender"),
        v3(ZibCodeSystem.maritalStatus, "MaritalStatus"),
        v3(ZibCodeSystem.actCode, "ActCode"),
        v3(ZibCodeSystem.actStatus, "ActStatus"),
        v3(ZibCodeSystem.roleCode, "RoleCode"),
        v3(ZibCodeSystem.nullFlavor, "NullFlavor"),
        System(
            oid: ZibCodeSystem.interpretationFlags, stu3: "http://hl7.org/fhir/v2/0078",
            r4: "http://terminology.hl7.org/CodeSystem/v2-0078"),
    ]

    private static func v3(_ oid: String, _ name: String) -> System {
        System(oid: oid, stu3: "http://hl7.org/fhir/v3/\(name)", r4: "http://terminology.hl7.org/CodeSystem/v3-\(name)")
    }

    /// Any spelling of a system (OID, STU3 or R4 URI) to its entry; exports and older values may use any.
    private static let bySpelling: [String: System] = {
        var table = [String: System]()
        for system in systems {
            table[system.oid] = system
            table[system.stu3] = system
            table[system.r4] = system
        }
        return table
    }()

    /// The URI FHIR STU3 uses for `system`; systems not in the table are returned unchanged.
    public static func stu3System(for system: String) -> String {
        bySpelling[system]?.stu3 ?? system
    }

    /// The URI FHIR R4 uses for `system`; systems not in the table are returned unchanged.
    public static func r4System(for system: String) -> String {
        bySpelling[system]?.r4 ?? system
    }

    /// Whether `system` is written the way one FHIR version writes it rather than as the zib's OID.
    public static func isVersionSpecific(_ system: String) -> Bool {
        guard let entry = bySpelling[system] else { return false }
        return system != entry.oid
    }
}
