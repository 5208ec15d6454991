import Foundation
import Store

/// The DigiD stand-in: pick a demo patient or type a test BSN (eleven-test, and a PZC must belong to
/// it). It proves nothing by itself, so the TOTP second factor always follows.
public struct DigiDStandIn: LoginProvider {
    public let pzcs: PZCRecords

    public init(pzcs: PZCRecords) {
        self.pzcs = pzcs
    }

    public var id: String { "digid-standin" }
    public var audience: LoginAudience { .citizen }
    public var requiresSecondFactor: Bool { true }
    public var isStandIn: Bool { true }

    public func start() async throws -> LoginStart {
        let choices = try await pzcs.all().filter { $0.bsn != nil }.map {
            LoginChoice(value: $0.pzcID, label: $0.patientName, detail: $0.title)
        }
        return .form(choices: choices, acceptsTypedIdentifier: true)
    }

    /// `bsn` (typed) wins over `choice` (a PZC id) when both are sent.
    public func finish(_ fields: [String: String]) async throws -> LoginIdentity {
        let records = try await pzcs.all()
        let typed = fields["bsn"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let record: PZCRecord
        if !typed.isEmpty {
            let bsn = try BSN(parsing: typed)
            guard let match = records.first(where: { $0.bsn == bsn.digits }) else { throw LoginFailure.unknownCitizen }
            record = match
        } else if let choice = fields["choice"], !choice.isEmpty {
            guard let match = records.first(where: { $0.pzcID == choice && $0.bsn != nil }) else { throw LoginFailure.unknownChoice }
            record = match
        } else {
            throw LoginFailure.nothingChosen
        }
        return LoginIdentity(subject: .citizen(patientID: record.patientResourceID), displayName: record.patientName, providerID: id)
    }
}

/// The UZI stand-in: choose a registered professional (a PZC member with a UZI number). A UZI pass
/// is itself two-factor, so no TOTP follows; the stand-in is enabled only for demos.
public struct UZIStandIn: LoginProvider {
    public let directory: ProfessionalDirectory

    public init(directory: ProfessionalDirectory) {
        self.directory = directory
    }

    public var id: String { "uzi-standin" }
    public var audience: LoginAudience { .professional }
    public var requiresSecondFactor: Bool { false }
    public var isStandIn: Bool { true }

    public func start() async throws -> LoginStart {
        let choices = try await directory.all().map {
            LoginChoice(value: $0.uziNumber, label: $0.displayName, detail: $0.communities.joined(separator: ", "))
        }
        return .form(choices: choices, acceptsTypedIdentifier: false)
    }

    public func finish(_ fields: [String: String]) async throws -> LoginIdentity {
        guard let uzi = fields["choice"], !uzi.isEmpty else { throw LoginFailure.nothingChosen }
        guard let professional = try await directory.professional(uzi: uzi) else { throw LoginFailure.unknownProfessional }
        return LoginIdentity(
            subject: .professional(uziNumber: professional.uziNumber, practitionerID: professional.practitionerID),
            displayName: professional.displayName, providerID: id)
    }
}
