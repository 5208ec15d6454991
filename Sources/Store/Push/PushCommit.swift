import FHIR
import Foundation

/// `Bundle.identifier` of a pushed transaction: what a push is idempotent on, per pushing party.
public struct PushIdentifier: Sendable, Hashable {
    public var system: String
    public var value: String

    public init(system: String, value: String) {
        self.system = system
        self.value = value
    }
}

/// One resource of a push, ready to store: its server-assigned id set and its references rewritten to
/// server ids (see ``PushReferenceRewriter``).
public struct PushEntry: Sendable {
    /// The entry's position in the pushed Bundle, for error messages (`Bundle.entry[3]`).
    public var bundleIndex: Int
    public var incoming: IncomingResource
    /// `request.ifNoneExist`, parsed: when it matches exactly one resource, that resource stands for
    /// this entry (nothing is created, references to the entry point at the match).
    public var ifNoneExist: SearchQuery?

    public init(bundleIndex: Int, incoming: IncomingResource, ifNoneExist: SearchQuery? = nil) {
        self.bundleIndex = bundleIndex
        self.incoming = incoming
        self.ifNoneExist = ifNoneExist
    }

    public var reference: String { "\(incoming.resource.resourceType)/\(incoming.resource.id ?? "")" }
}

/// What happened to one entry inside the write transaction.
public enum PushEntryOutcome: Sendable, Hashable {
    /// Stored as version 1 under its server-assigned id.
    case created(bundleIndex: Int, StoredResource)
    /// A conditional create matched this existing resource; nothing was written for the entry.
    case matched(bundleIndex: Int, StoredResource)

    public var bundleIndex: Int {
        switch self {
        case .created(let index, _), .matched(let index, _): index
        }
    }

    public var stored: StoredResource {
        switch self {
        case .created(_, let stored), .matched(_, let stored): stored
        }
    }
}

/// Everything one push writes, in one SQLite write transaction.
///
/// The Provenance and the transaction-response depend on what the transaction finds (conditional
/// matches decide ids), so they are built inside it by the two closures, which must be pure.
public struct PushCommit: Sendable {
    public var partyID: String
    public var identifier: PushIdentifier
    /// The matched record: the patient's own Patient id.
    public var patientID: String
    /// The Bundle as received: compared with a kept one to tell a retry from a reused identifier.
    public var bundle: FHIRResource
    public var bundleFormat: FHIRFormat
    public var bundleBytes: [UInt8]
    public var entries: [PushEntry]
    /// The Provenance of the push, from the outcome of every stored entry (it names the created ones;
    /// a matched Organization may name the sender).
    public var provenance: @Sendable (_ outcomes: [PushEntryOutcome]) -> FHIRResource
    /// The transaction-response to send and keep, from the outcome of every stored entry.
    public var response: @Sendable (_ outcomes: [PushEntryOutcome], _ provenance: StoredResource) -> PushResponse

    public init(
        partyID: String, identifier: PushIdentifier, patientID: String, bundle: FHIRResource, bundleFormat: FHIRFormat,
        bundleBytes: [UInt8], entries: [PushEntry],
        provenance: @escaping @Sendable ([PushEntryOutcome]) -> FHIRResource,
        response: @escaping @Sendable ([PushEntryOutcome], StoredResource) -> PushResponse
    ) {
        self.partyID = partyID
        self.identifier = identifier
        self.patientID = patientID
        self.bundle = bundle
        self.bundleFormat = bundleFormat
        self.bundleBytes = bundleBytes
        self.entries = entries
        self.provenance = provenance
        self.response = response
    }
}

/// The transaction-response bytes as sent (and as sent again to a retry).
public struct PushResponse: Sendable, Hashable {
    public var format: FHIRFormat
    public var bytes: [UInt8]

    public init(format: FHIRFormat, bytes: [UInt8]) {
        self.format = format
        self.bytes = bytes
    }
}

/// A push as kept in `pushed_bundle`.
public struct PushReceipt: Sendable, Hashable {
    public var pushID: String
    public var partyID: String
    public var identifier: PushIdentifier
    public var patientID: String
    public var response: PushResponse
    public var provenanceID: String
    /// The resources this push created (`Type/id/_history/1`); empty for a receipt read back for a retry.
    public var created: [String]

    public init(
        pushID: String, partyID: String, identifier: PushIdentifier, patientID: String, response: PushResponse,
        provenanceID: String, created: [String]
    ) {
        self.pushID = pushID
        self.partyID = partyID
        self.identifier = identifier
        self.patientID = patientID
        self.response = response
        self.provenanceID = provenanceID
        self.created = created
    }
}

/// How a push commit ended when it did not throw.
public enum PushCommitResult: Sendable, Hashable {
    /// Stored now.
    case committed(PushReceipt)
    /// The same party pushed the same Bundle under this identifier before: nothing stored, the kept
    /// answer is to be sent again.
    case replayed(PushReceipt)
}

/// Why a push commit stored nothing. Each names the entry it is about by its Bundle position.
public enum PushCommitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The party pushed a different Bundle under this identifier before.
    case identifierReused(PushIdentifier)
    /// `ifNoneExist` matched more than one resource (FHIR: 412 Precondition Failed).
    case conditionalMatchesSeveral(bundleIndex: Int, count: Int)
    /// An entry would land in another compartment than the matched patient's, or in none.
    case compartmentMismatch(bundleIndex: Int)
    /// A server-assigned id was taken already (only a broken id source can cause this).
    case idTaken(bundleIndex: Int)
    /// The Provenance built for the push would not sit in the patient's record (a defect of its builder).
    case provenanceOutsideRecord

    public var description: String {
        switch self {
        case .identifierReused(let identifier):
            "Bundle.identifier \(identifier.system)|\(identifier.value) was used before for a different Bundle; a retry must send the same Bundle"
        case .conditionalMatchesSeveral(let index, let count):
            "Bundle.entry[\(index)].request.ifNoneExist matches \(count) resources; a conditional create needs at most one match"
        case .compartmentMismatch(let index):
            "Bundle.entry[\(index)].resource would not belong to the bundle's patient only"
        case .idTaken(let index):
            "Bundle.entry[\(index)]: the server-assigned id is taken; nothing was stored, retry the push"
        case .provenanceOutsideRecord:
            "the provenance of the push would not belong to the patient's record; nothing was stored"
        }
    }
}
