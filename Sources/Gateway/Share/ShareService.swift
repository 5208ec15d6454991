import Consent
import Exchange
import FHIR
import Foundation
import Store

/// Why sharing did not start or complete.
enum ShareError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The form named no measurement.
    case nothingSelected
    /// The form named an id that is no shareable self-measurement of this patient.
    case notShareable
    /// No endpoint for the provider's self-measurements data service.
    case unknownProvider(String)
    /// Sending the batch failed: nothing is known to have arrived.
    case send(OutboundError)
    /// The provider answered something other than a batch-response with one entry per measurement.
    case malformedResponse(String)

    var description: String {
        switch self {
        case .nothingSelected: "no measurement was selected"
        case .notShareable: "the selection names something that is no shareable self-measurement of this patient"
        case .unknownProvider(let provider): "no self-measurements endpoint is configured for \(provider)"
        case .send(let error): "sending the batch failed: \(error)"
        case .malformedResponse(let reason): "the provider's answer is no usable batch-response: \(reason)"
        }
    }
}

/// Sharing self-measurements with a provider (MedMij Delen, PGO side; design flow 4): the patient
/// picks measurements, confirms at the provider's authorization endpoint with the share scope
/// (`<provider>~<GegevensdienstId>`), and the callback sends them as one `batch` Bundle to the
/// provider's FHIR base with the token. The provider answers per entry; the patient sees each answer.
///
/// The authorization reuses the collect flow's pending state (bound to the browser, used once), with
/// the selection kept beside it; no refresh token is kept: each share is confirmed anew.
struct ShareService: Sendable {
    let collect: CollectService
    let source: ShareSource

    static let dataServiceID = ProviderEndpoints.selfMeasurementsDataServiceID
    /// More than this in one batch is refused before anything is sent.
    static let maxSelection = 100

    init(collect: CollectService) {
        self.collect = collect
        source = ShareSource(database: collect.database)
    }

    /// The patient's measurements a provider can take: made by the patient (MedMij's sign: the
    /// performer is the Patient) and claiming a profile apps may create.
    func candidates(patientID: String) async throws -> [ShareMeasurement] {
        let shareable = CreateRoutes.writableProfiles["Observation"] ?? []
        return try await source.observations(patientID: patientID).compactMap { stored in
            guard let resource = try? stored.resource(), DataCategory.of(resource: resource).contains(.selfMeasurements),
                resource.profiles.contains(where: { shareable.contains(String($0.split(separator: "|").first ?? "")) })
            else { return nil }
            return ShareMeasurement(stored: stored, resource: resource)
        }
    }

    /// The endpoint of the provider's self-measurements service, if configured.
    func endpoint(ura: String) async throws -> ProviderEndpoint? {
        try await collect.endpoints.endpoint(ura: ura, dataServiceID: Self.dataServiceID)
    }

    /// Checks the selection and sends the browser to the provider with the share scope.
    func start(patientID: String, ura: String, selection: [String]) async throws -> (url: String, binding: String, provider: String) {
        let chosen = Array(Set(selection)).sorted()
        guard !chosen.isEmpty else { throw ShareError.nothingSelected }
        guard chosen.count <= Self.maxSelection else { throw ShareError.notShareable }
        let available = Set(try await candidates(patientID: patientID).map(\.id))
        guard chosen.allSatisfy(available.contains) else { throw ShareError.notShareable }
        guard let endpoint = try await endpoint(ura: ura) else { throw ShareError.unknownProvider("URA \(ura)") }
        return try await collect.authorizationRequest(
            patientID: patientID, endpoint: endpoint, scope: endpoint.scope + "~" + endpoint.dataServiceID, selection: chosen)
    }

    struct Shared: Sendable {
        let patientID: String
        let provider: String
        let outcomes: [ShareEntryOutcome]
    }

    /// Exchanges the code, sends the selection (as it is in the record now) in one batch, and reads
    /// the provider's answer per entry.
    func complete(_ pending: PendingCollect, code: String?, error: String?) async throws -> Shared {
        let (endpoint, token) = try await collect.exchange(pending, code: code, error: error)
        let chosen = Set(pending.selection)
        let measurements = try await candidates(patientID: pending.patientID).filter { chosen.contains($0.id) }
        guard !measurements.isEmpty else { throw ShareError.notShareable }
        let bundle = ShareBatch.bundle(measurements, patientID: pending.patientID)
        let answer = try await collect.withClient { outbound in
            do {
                return try await outbound.postFHIR(
                    url: endpoint.resourceEndpoint, resource: FHIRJSON.serialize(bundle), bearer: token.accessToken,
                    headers: CollectService.headers(correlationID: pending.correlationID), credentials: endpoint.credentials)
            } catch let error as OutboundError {
                throw ShareError.send(error)
            }
        }
        let outcomes = try ShareBatch.outcomes(answer, sent: measurements)
        return Shared(patientID: pending.patientID, provider: endpoint.displayName, outcomes: outcomes)
    }
}

/// A self-measurement as the patient chooses it: what, when, and the value in words.
struct ShareMeasurement: Sendable, Hashable {
    let id: String
    let version: Int
    let content: FHIRResource
    let name: String
    let when: String
    let value: String

    init(stored: StoredResource, resource: FHIRResource) {
        id = stored.id
        version = stored.version
        content = resource
        let coding = resource["code"]?["coding"]?.elements.first
        name = resource["code"]?["text"]?.stringValue ?? coding?["display"]?.stringValue ?? coding?["code"]?.stringValue ?? "Observation"
        when = resource["effectiveDateTime"]?.stringValue ?? resource["effectivePeriod"]?["start"]?.stringValue ?? ""
        let quantities = ([resource["valueQuantity"]] + (resource["component"]?.elements ?? []).map { $0["valueQuantity"] }).compactMap { $0 }
        value = quantities.compactMap { quantity in
            guard let number = quantity["value"]?.numberValue else { return nil }
            return "\(number)" + (quantity["unit"]?.stringValue.map { " \($0)" } ?? "")
        }.joined(separator: " / ")
    }
}

/// How one shared measurement fared at the provider.
struct ShareEntryOutcome: Sendable, Hashable {
    let measurement: ShareMeasurement
    /// The HTTP status of the entry's response, e.g. 201.
    let status: Int
    var accepted: Bool { (200..<300).contains(status) }
}
