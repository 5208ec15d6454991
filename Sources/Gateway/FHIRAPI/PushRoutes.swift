import Consent
import FHIR
import Hummingbird
import Store
import Zib

/// `POST /fhir`: the FHIR system-level interaction for Bundles, on the back listener.
///
/// - a `transaction` from a care provider organisation is an EPD push (``PushIntake``);
/// - a `batch` from a PGO app with a bearer token shares the patient's own measurements, each entry on
///   its own (``BatchIntake``);
/// - anything else is refused with 400.
///
/// ```swift
/// PushRoutes(repository: repository, validator: validator, policy: policy).register(on: fhir)
/// ```
struct PushRoutes: Sendable {
    let repository: ResourceRepository
    let validator: ProfileValidator
    let policy: ConsentPolicy

    func register(on group: RouterGroup<GatewayRequestContext>) {
        let push = PushIntake(repository: repository, validator: validator, consents: policy.consents)
        let batch = BatchIntake(
            access: policy.access,
            creator: CreateRoutes(
                repository: repository, access: policy.access, validator: validator,
                authorization: ConsentWriteAuthorization(consents: policy.consents)))
        group.post { request, context in
            let body = try await CreateBody.read(request, context: context)
            guard body.resource.resourceType == "Bundle" else { throw PushBundleError.notABundle(body.resource.resourceType).gatewayError }
            switch body.resource["type"]?.stringValue {
            case "transaction": return try await push.handle(body, request: request, context: context)
            case "batch": return try await batch.handle(body, request: request, context: context)
            case let type: throw PushBundleError.notATransaction(type).gatewayError
            }
        }
    }
}
