import FHIR
import Foundation
import Hummingbird

/// `GET /fhir/metadata`: the CapabilityStatement, answered without a token.
struct MetadataRoutes: Sendable {
    let capabilityStatement: FHIRResource

    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.get("metadata") { request, _ in
            let format = try ContentNegotiation.responseFormat(for: request)
            return FHIRResponses.resource(capabilityStatement, format: format, pretty: ContentNegotiation.isPretty(request))
        }
    }
}

/// Generates the CapabilityStatement from what is implemented: the resource types and search
/// parameters of the search registry, the interactions the routes serve, and the formats the codecs
/// speak. Nothing is declared that the server does not do.
enum CapabilityStatementBuilder {
    static let softwareVersion = "0.1.0"

    static func make(
        registry: SearchParameterRegistry = .stu3,
        writableProfiles: [String: Set<String>] = CreateRoutes.writableProfiles,
        now: Date = Date()
    ) -> FHIRResource {
        var resources = [FHIRValue]()
        for type in registry.resourceTypes {
            // Parameters that name a patient are refused (the patient comes from the token), so they are not offered.
            let searchParameters: [FHIRValue] = registry.parameters(for: type)
                .filter { !SearchRoutes.patientSelectingParameters.contains($0.name) }
                .map { parameter in ["name": .string(parameter.name), "type": .string(parameter.type.rawValue)] }
            var interactions: [FHIRValue] = [["code": "read"], ["code": "vread"], ["code": "history-instance"], ["code": "search-type"]]
            if writableProfiles[type] != nil { interactions.append(["code": "create"]) }
            var resource: FHIRObject = [
                "type": .string(type),
                "interaction": .array(interactions),
                "versioning": "versioned",
                "readHistory": true,
                "updateCreate": false,
            ]
            let includes = registry.includes(for: type).map { FHIRValue.string($0.description) }
            if !includes.isEmpty { resource["searchInclude"] = .array(includes) }
            resource["searchParam"] = .array(searchParameters)
            if type == "Observation" {
                resource["operation"] = [["name": "lastn", "definition": ["reference": "http://hl7.org/fhir/OperationDefinition/Observation-lastn"]]]
            }
            resources.append(.object(resource))
        }
        // `POST /fhir` (PushRoutes): a care provider's transaction, an app's batch of measurements.
        let systemInteractions: [FHIRValue] = [
            [
                "code": "transaction",
                "documentation": "A care provider organisation (registered certificate with a URA) pushes a summary into a patient's record: one Patient identified by BSN, all entries or none, idempotent on Bundle.identifier, only with the patient's consent to push.",
            ],
            [
                "code": "batch",
                "documentation": "A PGO app with a bearer token shares the patient's own measurements: each entry a create as POST /fhir/Observation allows, answered on its own.",
            ],
        ]
        // STU3 lists the profiles a server accepts at the statement level (`CapabilityStatement.profile`).
        let acceptedProfiles: [FHIRValue] = writableProfiles.values.flatMap { $0 }.sorted()
            .map { ["reference": .string($0)] }
        let content: FHIRObject = [
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": .string(String(ISO8601DateFormatter().string(from: now).prefix(10))),
            "publisher": "Zorgnet Gateway",
            "kind": "instance",
            "software": ["name": "Zorgnet Gateway", "version": .string(softwareVersion)],
            "implementation": ["description": "Zorgnet Gateway FHIR STU3 endpoint (BgZ, MedMij)"],
            "fhirVersion": "3.0.2",
            "acceptUnknown": "extensions",
            "format": ["application/fhir+json", "application/fhir+xml"],
            "profile": .array(acceptedProfiles),
            "rest": [
                [
                    "mode": "server",
                    "documentation": "Patient data needs mutual TLS with a registered client certificate and a bearer token bound to that certificate and to one patient.",
                    "security": [
                        "cors": false,
                        "service": [["coding": [["system": "http://hl7.org/fhir/restful-security-service", "code": "Certificates", "display": "Certificates"]], "text": "mutual TLS"]],
                        "description": "Mutual TLS (registered client certificates) plus certificate-bound bearer tokens (RFC 8705).",
                    ],
                    "resource": .array(resources),
                    "interaction": .array(systemInteractions),
                    "operation": [["name": "validate", "definition": ["reference": "http://hl7.org/fhir/OperationDefinition/Resource-validate"]]],
                ]
            ],
        ]
        // The literal above always has a resourceType, so this cannot fail.
        return (try? FHIRResource(content)) ?? OperationOutcome(severity: .fatal, code: .exception, diagnostics: "capability statement unavailable").resource
    }
}
