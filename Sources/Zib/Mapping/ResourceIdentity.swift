import Crypto

/// Stable FHIR resource ids for what a PZC holds: the same entry always gets the same id, so a
/// re-import updates instead of duplicating.
///
/// Ids are `<pzc>-<entry>` (FHIR allows `[A-Za-z0-9\-\.]{1,64}`); characters outside that set become
/// `-`, and ids that would be too long are shortened with a hash suffix that keeps them unique.
///
/// ```swift
/// let ids = ResourceIdentity(pzcID: "pzc-dekker")
/// ids.id(for: "problem-1")                // "pzc-dekker-problem-1"
/// ids.id(for: "ms-1", role: "medication") // "pzc-dekker-ms-1-medication"
/// ```
public struct ResourceIdentity: Sendable, Hashable {
    public let pzcID: String

    public init(pzcID: String) {
        self.pzcID = pzcID
    }

    /// The id of the patient's own Patient resource.
    public var patientID: String { id(for: "patient") }

    /// The id of the resource made from `entryID`; `role` tells apart several resources made from one
    /// entry (a MedicationStatement and its Medication, a DocumentReference and its Binary).
    public func id(for entryID: String, role: String? = nil) -> String {
        let raw = [pzcID, entryID, role].compactMap { $0 }.joined(separator: "-")
        let cleaned = String(raw.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "-", ".": Character(scalar)
            default: "-"
            }
        })
        guard cleaned.count > 64 else { return cleaned }
        let digest = SHA256.hash(data: Array(raw.utf8)).prefix(6).map { byte in
            let hex = Array("0123456789abcdef")
            return String([hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }.joined()
        return String(cleaned.prefix(51)) + "-" + digest
    }
}
