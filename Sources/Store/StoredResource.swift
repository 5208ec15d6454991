import FHIR

/// One version of a resource as the store keeps it.
///
/// `contentJSON` is the resource as served: the received content with the server's
/// `meta.versionId` and `meta.lastUpdated` set, serialized once at write time so that reads and
/// searches can hand the bytes out without parsing them again.
public struct StoredResource: Sendable, Hashable {
    public var type: String
    public var id: String
    public var version: Int
    /// `meta.lastUpdated`, an instant such as `2026-11-23T12:00:00.123Z`.
    public var lastUpdated: String
    public var contentJSON: [UInt8]

    public init(type: String, id: String, version: Int, lastUpdated: String, contentJSON: [UInt8]) {
        self.type = type
        self.id = id
        self.version = version
        self.lastUpdated = lastUpdated
        self.contentJSON = contentJSON
    }

    /// `Type/id`, the resource's relative reference.
    public var reference: String { "\(type)/\(id)" }

    /// The resource parsed back into the element model.
    public func resource() throws -> FHIRResource {
        try FHIRJSON.parseResource(contentJSON)
    }
}

/// Whose data a caller may see.
public enum AccessScope: Sendable, Hashable {
    /// Everything: operators and the gateway itself.
    case everything
    /// One patient's compartment (FHIR STU3 Patient CompartmentDefinition), plus resources of the
    /// shared types (practitioners, organisations, medications …, see `Visibility`) that belong to
    /// no patient and that the patient's own resources refer to. Everything else is invisible.
    case patient(id: String)
}

/// A resource arriving at the store, with the bytes it arrived as (kept for provenance).
///
/// ```swift
/// let pushed = IncomingResource(resource: resource, receivedFormat: .xml, receivedBytes: body)
/// let rendered = IncomingResource.produced(provenance)
/// ```
public struct IncomingResource: Sendable {
    public var resource: FHIRResource
    public var receivedFormat: FHIRFormat
    /// The bytes as a client or provider sent them; `nil` when the gateway produced the resource itself.
    public var receivedBytes: [UInt8]?

    public init(resource: FHIRResource, receivedFormat: FHIRFormat, receivedBytes: [UInt8]) {
        self.init(resource: resource, receivedFormat: receivedFormat, receivedBytesIfAny: receivedBytes)
    }

    private init(resource: FHIRResource, receivedFormat: FHIRFormat, receivedBytesIfAny: [UInt8]?) {
        self.resource = resource
        self.receivedFormat = receivedFormat
        self.receivedBytes = receivedBytesIfAny
    }

    /// A resource the gateway produced itself: rendered from a PZC export, a Consent from the patient's
    /// choices, the Provenance of a push or a collect. Nothing arrived but what the store keeps as the
    /// content, so no received bytes are kept beside it (for a PZC import that halves the bytes stored).
    public static func produced(_ resource: FHIRResource) -> IncomingResource {
        IncomingResource(resource: resource, receivedFormat: .json, receivedBytesIfAny: nil)
    }
}

/// Why the store refused to write.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingID(resourceType: String)
    case invalidID(String)

    public var description: String {
        switch self {
        case .missingID(let type): "a \(type) to be stored needs an id"
        case .invalidID(let id): "'\(id)' is not a valid FHIR id (1-64 of A-Z a-z 0-9 - .)"
        }
    }

    /// FHIR ids are `[A-Za-z0-9\-\.]{1,64}`.
    public static func isValidID(_ id: String) -> Bool {
        let utf8 = id.utf8
        return (1...64).contains(utf8.count) && utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
                true
            default:
                false
            }
        }
    }
}
