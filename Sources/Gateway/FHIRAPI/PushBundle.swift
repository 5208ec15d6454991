import Auth
import FHIR
import Store

/// A pushed `transaction` Bundle read for the intake: its identifier, its entries and which entry is
/// the Patient. Only the shape is checked here; what the entries say is checked later.
///
/// ```swift
/// let bundle = try PushBundle(parsing: resource)
/// bundle.entries[bundle.patientIndex].resource.resourceType   // "Patient"
/// ```
struct PushBundle: Sendable {
    struct Entry: Sendable {
        /// Position in `Bundle.entry`, as messages name it (`Bundle.entry[3]`).
        let index: Int
        let fullUrl: String?
        let resource: FHIRResource
        /// `request.ifNoneExist` as sent (a query string without `?`).
        let ifNoneExist: String?
    }

    static let bsnSystems: Set<String> = Set(SearchRoutes.bsnSystems)

    let identifier: PushIdentifier
    let entries: [Entry]
    /// The entry holding the Patient (exactly one per push).
    let patientIndex: Int
    /// The Patient's BSN, the only way a push names its patient.
    let bsn: Auth.BSN

    var patientEntry: Entry { entries[patientIndex] }

    init(parsing bundle: FHIRResource) throws(PushBundleError) {
        guard bundle.resourceType == "Bundle" else { throw .notABundle(bundle.resourceType) }
        guard bundle["type"]?.stringValue == "transaction" else { throw .notATransaction(bundle["type"]?.stringValue) }
        guard let system = bundle["identifier"]?["system"]?.stringValue, !system.isEmpty,
              let value = bundle["identifier"]?["value"]?.stringValue, !value.isEmpty
        else { throw .missingIdentifier }
        identifier = PushIdentifier(system: system, value: value)

        let values = bundle["entry"]?.elements ?? []
        guard !values.isEmpty else { throw .noEntries }
        var entries: [Entry] = []
        var fullUrls: Set<String> = []
        for (index, value) in values.enumerated() {
            guard let object = value["resource"]?.objectValue else { throw .entryWithoutResource(index) }
            guard let type = object["resourceType"]?.stringValue, FHIRSchema.stu3.isResourceType(type),
                  let resource = try? FHIRResource(object)
            else { throw .unknownResourceType(index) }
            let method = value["request"]?["method"]?.stringValue
            // The Patient entry is only read to find the record (never written), so a conditional
            // update of it, as many EPDs send, is as good as a create.
            let allowed: Set<String> = type == "Patient" ? ["POST", "PUT"] : ["POST"]
            guard let method, allowed.contains(method) else { throw .unsupportedMethod(index, method) }
            let url = value["request"]?["url"]?.stringValue ?? ""
            let path = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
            guard path == type || path == "/\(type)" || (method == "PUT" && path.hasPrefix("\(type)/")) else {
                throw .urlMismatch(index, type: type)
            }
            let fullUrl = value["fullUrl"]?.stringValue
            if let fullUrl {
                guard fullUrls.insert(fullUrl).inserted else { throw .duplicateFullUrl(index) }
            }
            entries.append(Entry(index: index, fullUrl: fullUrl, resource: resource, ifNoneExist: value["request"]?["ifNoneExist"]?.stringValue))
        }
        self.entries = entries

        let patients = entries.filter { $0.resource.resourceType == "Patient" }
        guard let patient = patients.first else { throw .noPatient }
        guard patients.count == 1 else { throw .severalPatients(patients.map(\.index)) }
        patientIndex = patient.index
        let bsns = (patient.resource["identifier"]?.elements ?? []).filter {
            Self.bsnSystems.contains($0["system"]?.stringValue ?? "")
        }.compactMap { $0["value"]?.stringValue }
        guard let text = bsns.first else { throw .patientWithoutBSN(patient.index) }
        // Several BSN identifiers must agree; which one is right is not ours to guess.
        guard Set(bsns).count == 1, let bsn = try? Auth.BSN(parsing: text) else { throw .invalidBSN(patient.index) }
        self.bsn = bsn
    }
}

/// Why a pushed Bundle cannot be read (400). The messages name the element, never a value from it
/// (a BSN must not be echoed, nor land in the audit log).
enum PushBundleError: Error, Sendable, Hashable, CustomStringConvertible {
    case notABundle(String)
    case notATransaction(String?)
    case missingIdentifier
    case noEntries
    case entryWithoutResource(Int)
    case unknownResourceType(Int)
    case unsupportedMethod(Int, String?)
    case urlMismatch(Int, type: String)
    case duplicateFullUrl(Int)
    case noPatient
    case severalPatients([Int])
    case patientWithoutBSN(Int)
    case invalidBSN(Int)
    case malformedIfNoneExist(Int, reason: String)

    var description: String {
        switch self {
        case .notABundle(let type): "the body is a \(type); POST /fhir takes a Bundle of type transaction or batch"
        case .notATransaction(let type):
            "Bundle.type is \(type.map { "'\($0)'" } ?? "missing"); POST /fhir takes a Bundle of type transaction or batch"
        case .missingIdentifier:
            "Bundle.identifier with a system and a value is required: a push is accepted once per identifier, so that a retry stores nothing twice"
        case .noEntries: "Bundle.entry is empty: a push needs the Patient and at least the data it brings"
        case .entryWithoutResource(let index): "Bundle.entry[\(index)].resource is missing"
        case .unknownResourceType(let index): "Bundle.entry[\(index)].resource is not a FHIR STU3 resource (unknown or missing resourceType)"
        case .unsupportedMethod(let index, let method):
            "Bundle.entry[\(index)].request.method is \(method.map { "'\($0)'" } ?? "missing"); a push creates resources (POST), and only the Patient may come as a conditional update (PUT)"
        case .urlMismatch(let index, let type): "Bundle.entry[\(index)].request.url must be '\(type)', the type of its resource"
        case .duplicateFullUrl(let index): "Bundle.entry[\(index)].fullUrl is the fullUrl of an earlier entry as well"
        case .noPatient: "the Bundle holds no Patient: the Patient, identified by BSN, names whose record the data is for"
        case .severalPatients(let indices):
            "the Bundle holds several Patients (Bundle.entry[\(indices.map(String.init).joined(separator: "], Bundle.entry["))]); a push is for one patient"
        case .patientWithoutBSN(let index):
            "Bundle.entry[\(index)].resource.identifier has no BSN (system http://fhir.nl/fhir/NamingSystem/bsn); the patient is matched by BSN only"
        case .invalidBSN(let index):
            "Bundle.entry[\(index)].resource.identifier: the BSN is not nine digits passing the eleven-test, or several BSNs disagree"
        case .malformedIfNoneExist(let index, let reason): "Bundle.entry[\(index)].request.ifNoneExist: \(reason)"
        }
    }

    var gatewayError: GatewayError {
        // Method and type names are the client's text: redacted like any free text the log keeps.
        GatewayError(
            .badRequest, self == .noEntries ? .required : .invalid, description,
            auditDetail: "push refused: " + AuditRedaction.redactingBSNs(description))
    }
}
