import Consent
import FHIR
import Foundation

/// Decides whether the caller behind a token may write one resource into its patient's record.
///
/// A seam, so that the create route does not care where the answer comes from: today the patient's
/// consents (``ConsentWriteAuthorization``); a test or a later policy (a MedMij authorisation that
/// carries its own write scope) can stand in. Implementations deny by default.
///
/// ```swift
/// let decision = try await authorization.mayWrite(observation, for: grant, at: Date())
/// if !decision.permit { /* 403 */ }
/// ```
protocol WriteAuthorization: Sendable {
    func mayWrite(_ resource: FHIRResource, for grant: PatientAccess.Grant, at date: Date) async throws -> Decision
}

/// Writes need the patient's consent: a provision in force that permits the app (`.pgoApp(client
/// id)`) the action ``action`` for the categories of the resource written (self-measurements for an
/// Observation the patient performed, vital signs otherwise), read fresh for every request so that a
/// revocation counts at once. No such provision, or a caller that is no PGO app a consent can name:
/// deny.
///
/// ```swift
/// let authorization = ConsentWriteAuthorization(consents: ConsentRepository(database: database))
/// ```
struct ConsentWriteAuthorization: WriteAuthorization {
    /// A PGO app storing the patient's own measurements in the record shares them (MedMij "delen",
    /// `share`). Collecting stays `collect`: a consent to collect never lets an app write, nor the other
    /// way round.
    static let action: ConsentAction = .share

    let consents: ConsentRepository
    let decisionPoint = ConsentDecisionPoint()

    func mayWrite(_ resource: FHIRResource, for grant: PatientAccess.Grant, at date: Date) async throws -> Decision {
        guard let actor = grant.consentActor else {
            return Decision(permit: false, consents: [], reason: "deny by default: the caller is no PGO app a consent can name")
        }
        let inForce = try await consents.consentsInForce(patientID: grant.patientID, at: date)
        let request = AccessRequest(patientID: grant.patientID, actor: actor, action: Self.action, resource: resource)
        return decisionPoint.decide(request, consents: inForce, at: date)
    }
}
