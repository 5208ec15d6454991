/// The code systems zib values use, named the way the zibs name them.
///
/// Values stay independent of the FHIR version: where a code system's URI differs between FHIR STU3
/// and R4 (the HL7 v3 and v2 tables: `http://hl7.org/fhir/v3/…` versus
/// `http://terminology.hl7.org/CodeSystem/v3-…`), values carry the system's OID, as the zib code lists
/// do, and each renderer writes the URI of its own FHIR version (see ``HL7Terminology``). Systems whose
/// URI is the same in every version (SNOMED CT, LOINC, the zib's own OIDs) are kept as they are.
///
/// ```swift
/// Geslacht.female.zibCode.system                 // "urn:oid:2.16.840.1.113883.5.1"
/// HL7Terminology.stu3System(for: ZibCodeSystem.administrativeGender)
///                                                 // "http://hl7.org/fhir/v3/AdministrativeGender"
/// ```
public enum ZibCodeSystem {
    public static let snomed = "http://snomed.info/sct"
    public static let loinc = "http://loinc.org"

    /// HL7 v3 AdministrativeGender (zib GeslachtCodelijst).
    public static let administrativeGender = "urn:oid:2.16.840.1.113883.5.1"
    /// HL7 v3 MaritalStatus (zib BurgerlijkeStaatCodelijst).
    public static let maritalStatus = "urn:oid:2.16.840.1.113883.5.2"
    /// HL7 v3 ActCode (zib ContactTypeCodelijst).
    public static let actCode = "urn:oid:2.16.840.1.113883.5.4"
    /// HL7 v3 ActStatus (zib AllergieStatusCodelijst).
    public static let actStatus = "urn:oid:2.16.840.1.113883.5.14"
    /// HL7 v3 RoleCode (zib RelatieCodelijst).
    public static let roleCode = "urn:oid:2.16.840.1.113883.5.111"
    /// HL7 v3 NullFlavor, the "other" and "unknown" of many zib code lists.
    public static let nullFlavor = "urn:oid:2.16.840.1.113883.5.1008"
    /// HL7 v2 table 0078, interpretation flags (zib InterpretatieVlaggenCodelijst).
    public static let interpretationFlags = "urn:oid:2.16.840.1.113883.12.78"

    /// Vektis COD472 (zib RolCodelijst).
    public static let contactRole = "urn:oid:2.16.840.1.113883.2.4.3.11.22.472"
    /// zib ResultaatStatusCodelijst of LaboratoriumUitslag (TestUitslagStatus).
    public static let resultStatus = "urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.16.1"
}
