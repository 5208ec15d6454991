import Auth
import Consent
import Foundation
import Store

/// Withdraws one PGO app's access to one patient's data, as the patient asks in the portal:
///
/// 1. every OAuth grant of the app for the patient is revoked, and with it its codes, refresh tokens
///    and access tokens (``OAuthGrantStore/revoke(grantID:reason:at:)``): the app's next FHIR request
///    answers 401 and its refresh token is refused;
/// 2. every other access token the app holds for the patient (tokens issued by hand) is revoked;
/// 3. every consent that permits this app alone gets a revoked version.
///
/// Tokens go first: should a later step fail, the app has already lost its access (fail closed),
/// and repeating the revocation finishes the rest.
struct AppAccessRevocation: Sendable {
    let consents: PortalConsents
    let grants: OAuthGrantStore
    let tokens: AccessTokenStore
    let registry: PartyRegistry

    struct Outcome: Sendable, Hashable {
        /// The revoked versions recorded.
        var consents: [ConsentReference] = []
        var grants: [String] = []
        var tokens = 0

        var changedAnything: Bool { !consents.isEmpty || !grants.isEmpty || tokens > 0 }
    }

    func revoke(clientID: String, patientID: String, now: Date) async throws -> Outcome {
        var outcome = Outcome()
        let nowMilliseconds = Instant.milliseconds(now)
        var partyIDs = Set<String>()
        for grant in try await grants.grants(patientID: patientID) where grant.clientID == clientID {
            partyIDs.insert(grant.partyID)
            guard !grant.isRevoked else { continue }
            try await grants.revoke(grantID: grant.grantID, reason: "revoked by the patient in the portal", at: nowMilliseconds)
            outcome.grants.append(grant.grantID)
        }
        if let party = try await registry.party(clientID: clientID) { partyIDs.insert(party.partyID) }
        for partyID in partyIDs.sorted() {
            outcome.tokens += try await tokens.revokeAll(partyID: partyID, patientID: patientID)
        }
        for consent in try await consents.current(patientID: patientID, now: now) where consent.actor == .pgoApp(clientID) {
            outcome.consents.append(try await consents.revoke(consent.record, at: now).reference)
        }
        return outcome
    }
}
