import FHIR
import Foundation

/// Why a consent could not be rendered.
public enum ConsentError: Error, Sendable, Hashable {
    /// The built object was not a resource; cannot happen with a literal `resourceType`, kept typed anyway.
    case rendering(FHIRModelError)
}

extension ConsentRecord {
    /// The category that marks the gateway's access consents, distinguishing them from zib
    /// AdvanceDirective and TreatmentDirective Consents (SNOMED record-artifact categories).
    public static let categorySystem = "http://zorgnet.example/fhir/CodeSystem/consent-category"
    public static let categoryCode = "access-consent"
    public static let categoryDisplay = "Toestemming voor gegevensuitwisseling"
    /// Deny unless an exception permits: how STU3 expresses "deny by default" (`Consent.policyRule`).
    public static let policyRule = "http://hl7.org/fhir/ConsentPolicy/opt-in"
    /// On an `except`: the element id of the `except` it is nested in.
    public static let parentExtension = "http://zorgnet.example/fhir/StructureDefinition/consent-except-parent"
    public static let actionSystem = "http://zorgnet.example/fhir/CodeSystem/consent-action"
    public static let dataCategorySystem = "http://zorgnet.example/fhir/CodeSystem/data-category"
    public static let actorSystems = (
        pgoApp: "http://zorgnet.example/fhir/NamingSystem/pgo-client-id",
        ura: "http://fhir.nl/fhir/NamingSystem/ura",
        member: "http://zorgnet.example/fhir/NamingSystem/care-circle-member",
        group: "http://zorgnet.example/fhir/NamingSystem/actor-group"
    )

    /// This version as a STU3 `Consent`, read-only for the patient's own token.
    ///
    /// STU3 has no `type` on the root and only one level of `except`, so the whole tree is written as
    /// `except` entries in pre-order: the root first, each with an element id (`p`, `p.1`, `p.1.2`) and
    /// nested ones with a `consent-except-parent` extension naming their parent. `policyRule` is opt-in,
    /// which is the gateway's deny by default.
    ///
    /// ```swift
    /// let resource = try consent.fhirConsent()
    /// resource["except"]?.elements.first?["type"]   // .string("permit")
    /// FHIRXML.serialize(resource)                    // valid STU3 XML
    /// ```
    public func fhirConsent() throws(ConsentError) -> FHIRResource {
        var content: FHIRObject = ["resourceType": "Consent", "id": .string(id)]
        content["meta"] = ["versionId": .string(String(version))]
        content["status"] = .string(status.rawValue)
        content["category"] = [
            [
                "coding": [
                    [
                        "system": .string(Self.categorySystem), "code": .string(Self.categoryCode),
                        "display": .string(Self.categoryDisplay),
                    ]
                ],
                "text": .string(Self.categoryDisplay),
            ]
        ]
        content["patient"] = ["reference": .string("Patient/\(patientID)")]
        if let period = Self.fhirPeriod(validity) { content["period"] = period }
        content["dateTime"] = .string(Self.fhirDateTime(recordedAt))
        content["policyRule"] = .string(Self.policyRule)
        var excepts: [FHIRValue] = []
        Self.appendExcepts(root, elementID: "p", parent: nil, into: &excepts)
        content["except"] = .array(excepts)
        do {
            return try FHIRResource(content)
        } catch {
            throw .rendering(error)
        }
    }

    /// Whether `resource` is one of the gateway's access consents (by its category), rather than a zib
    /// directive or any other `Consent`.
    ///
    /// ```swift
    /// ConsentRecord.isAccessConsent(try consent.fhirConsent())   // true
    /// ConsentRecord.isAccessConsent(advanceDirective)            // false
    /// ```
    public static func isAccessConsent(_ resource: FHIRResource) -> Bool {
        guard resource.resourceType == "Consent" else { return false }
        return (resource["category"]?.elements ?? []).contains { concept in
            (concept["coding"]?.elements ?? []).contains {
                $0["system"]?.stringValue == categorySystem && $0["code"]?.stringValue == categoryCode
            }
        }
    }

    private static func appendExcepts(_ provision: Provision, elementID: String, parent: String?, into excepts: inout [FHIRValue]) {
        var except: FHIRObject = ["id": .string(elementID)]
        if let parent {
            except["extension"] = [["url": .string(parentExtension), "valueString": .string(parent)]]
        }
        except["type"] = .string(provision.type.rawValue)
        if let period = provision.validityPeriod.flatMap(fhirPeriod) { except["period"] = period }
        if !provision.actors.isEmpty { except["actor"] = .array(provision.actors.map(fhirActor)) }
        if !provision.actions.isEmpty {
            except["action"] = .array(provision.actions.map { action in
                ["coding": [["system": .string(actionSystem), "code": .string(action.rawValue)]]]
            })
        }
        if !provision.categories.isEmpty {
            except["code"] = .array(provision.categories.map { category in
                [
                    "system": .string(dataCategorySystem), "code": .string(category.rawValue),
                    "display": .string(category.display),
                ]
            })
        }
        if let period = provision.dataPeriod.flatMap(fhirPeriod) { except["dataPeriod"] = period }
        excepts.append(.object(except))
        for (index, child) in provision.provisions.enumerated() {
            appendExcepts(child, elementID: "\(elementID).\(index + 1)", parent: elementID, into: &excepts)
        }
    }

    /// An actor as STU3 `Consent.except.actor`: role "information recipient", the party by identifier.
    private static func fhirActor(_ actor: ConsentActor) -> FHIRValue {
        let (system, value, display): (String, String, String) =
            switch actor {
            case .pgoApp(let clientID): (actorSystems.pgoApp, clientID, "PGO")
            case .provider(let ura): (actorSystems.ura, ura, "Zorgaanbieder")
            case .member(let memberID): (actorSystems.member, memberID, "Lid van het zorgnetwerk")
            case .anyPGOApp: (actorSystems.group, "any-pgo-app", "Elke PGO")
            case .anyProvider: (actorSystems.group, "any-provider", "Elke zorgaanbieder")
            case .anyMember: (actorSystems.group, "any-member", "Elk lid van het zorgnetwerk")
            }
        return [
            "role": [
                "coding": [
                    [
                        "system": "http://hl7.org/fhir/v3/ParticipationType", "code": "IRCP",
                        "display": "information recipient",
                    ]
                ]
            ],
            "reference": [
                "identifier": ["system": .string(system), "value": .string(value)], "display": .string(display),
            ],
        ]
    }

    private static func fhirPeriod(_ period: ConsentPeriod) -> FHIRValue? {
        var object = FHIRObject()
        if let start = period.start { object["start"] = .string(fhirDateTime(start)) }
        if let end = period.end { object["end"] = .string(fhirDateTime(end)) }
        return object.isEmpty ? nil : .object(object)
    }

    /// UTC with seconds: FHIR requires a zone on every dateTime with a time.
    static func fhirDateTime(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}
