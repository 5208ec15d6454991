import GRDB

/// The SQL that decides what a patient-bound caller may see. Deny by default:
///
/// 1. a resource in the patient's compartment (``PatientCompartment``) is visible;
/// 2. a resource of a ``sharedTypes`` type that is in no patient's compartment is visible when a
///    resource in the patient's compartment refers to it locally (its GP, its medication);
///    a Binary only when that referring resource is a DocumentReference;
/// 3. nothing else is. In particular a resource that belongs to no patient but is not of a shared
///    type (an Observation about another server's patient, a Group) is invisible.
enum Visibility {
    /// Types that carry no patient data of their own and may be shown to a patient whose data points at them.
    static let sharedTypes: Set<String> = [
        "Practitioner", "PractitionerRole", "Organization", "Location", "Medication", "Substance", "Device",
        "Questionnaire", "Binary",
    ]

    /// Binary content is only reachable through a document that the patient may see.
    static let binaryReferrer = "DocumentReference"

    /// Built once: it is part of the SQL of every patient-scoped read.
    private static let sharedTypeList: String = sharedTypes.sorted().map { "'\($0)'" }.joined(separator: ", ")

    /// A condition on the resource row `alias`: whether patient `?` may see it. For single resources
    /// (read, `_include`); searches start from ``source(type:patientID:)`` instead.
    ///
    /// Whether the patient's data refers to a shared resource is one lookup in `patient_link`, the links
    /// of each patient's resources kept under the patient: from the patient's side it would read the
    /// whole record, from the target's side every referrer (a GP practice or an insurer is referred to
    /// by thousands of patients).
    static func sql(_ alias: String) -> String {
        """
        (EXISTS (SELECT 1 FROM patient_compartment pc
                 WHERE pc.patient_id = ? AND pc.resource_type = \(alias).type AND pc.resource_key = \(alias).resource_key)
         OR (\(alias).type IN (\(sharedTypeList))
             AND NOT EXISTS (SELECT 1 FROM patient_compartment own WHERE own.resource_key = \(alias).resource_key)
             AND EXISTS (SELECT 1 FROM patient_link pl
                         WHERE pl.patient_id = ? AND pl.target_type = \(alias).type AND pl.target_id = \(alias).id
                           AND (\(alias).type <> 'Binary' OR pl.resource_type = '\(binaryReferrer)'))))
        """
    }

    static func arguments(_ patientID: String) -> StatementArguments {
        [patientID, patientID]
    }

    /// The `resource_key`s of type `type` patient `patientID` may see, starting from the patient's
    /// compartment rows of that type (the primary key of `patient_compartment`), so that a
    /// patient-scoped search costs in proportion to that patient's resources of the type, not to all
    /// resources of the type nor to the patient's whole record. Shared types add what the patient's
    /// links point at (`patient_link`, read by its primary key from the patient and the type).
    static func source(type: String, patientID: String) -> (sql: String, arguments: StatementArguments) {
        var sql = "SELECT pc.resource_key FROM patient_compartment pc WHERE pc.patient_id = ? AND pc.resource_type = ?"
        var arguments: StatementArguments = [patientID, type]
        if sharedTypes.contains(type) {
            let referrer = type == "Binary" ? "AND pl.resource_type = ?" : ""
            sql += """

                UNION
                SELECT t.resource_key FROM patient_link pl
                CROSS JOIN resource t ON t.type = pl.target_type AND t.id = pl.target_id
                WHERE pl.patient_id = ? AND pl.target_type = ? \(referrer)
                  AND NOT EXISTS (SELECT 1 FROM patient_compartment own WHERE own.resource_key = t.resource_key)
                """
            arguments += [patientID, type]
            if type == "Binary" { arguments += [binaryReferrer] }
        }
        return (sql, arguments)
    }
}
