import FHIR
import Foundation
import GRDB

/// Why the store refused to create a resource.
public enum CreateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The resource would land in another compartment than the one it is created for (a reference to
    /// another patient as subject or performer), or in none: one patient's write must never reach
    /// another patient's record.
    case compartmentMismatch(expected: String, found: Set<String>)
    /// The id the server chose is taken already (only a broken id source can cause this).
    case idTaken(type: String, id: String)

    public var description: String {
        switch self {
        case .compartmentMismatch(let expected, let found):
            found.isEmpty
                ? "the resource belongs to no patient's compartment, not to \(expected)'s"
                : "the resource would belong to \(found.count == 1 ? "another patient" : "several patients"), not only to \(expected)"
        case .idTaken(let type, let id): "\(type)/\(id) exists already"
        }
    }
}

extension ResourceRepository {
    /// The patients whose compartment a resource would belong to once stored (STU3 Patient
    /// CompartmentDefinition, as the store applies it), for callers that must check before writing.
    ///
    /// ```swift
    /// repository.compartmentPatients(of: observation)  // ["p1"] for subject Patient/p1
    /// ```
    public func compartmentPatients(of resource: FHIRResource) -> Set<String> {
        PatientCompartment.patients(of: resource, references: references)
    }

    /// Stores a new resource under a server-assigned id (a lowercase UUID, replacing any id the
    /// client sent) as version 1, in patient `patientID`'s compartment and no other.
    ///
    /// UUIDs are also chosen because their digits never form a run of nine delimited by non-hex
    /// characters, so a server id can never be mistaken for a BSN in a URL.
    ///
    /// ```swift
    /// let stored = try await repository.create(incoming, inCompartmentOf: "p1")
    /// stored.version  // 1
    /// ```
    public func create(_ incoming: IncomingResource, inCompartmentOf patientID: String, at date: Date = Date()) async throws
        -> StoredResource
    {
        var resource = incoming.resource
        resource.id = UUID().uuidString.lowercased()
        resource.versionId = nil
        resource.lastUpdated = nil
        let found = compartmentPatients(of: resource)
        guard found == [patientID] else { throw CreateError.compartmentMismatch(expected: patientID, found: found) }
        let type = resource.resourceType
        let id = resource.id ?? ""
        var assigned = incoming
        assigned.resource = resource
        let prepared = PreparedWrite(incoming: assigned, indexer: indexer, references: references)
        let millis = Instant.milliseconds(date)
        let lastUpdated = Instant.format(milliseconds: millis)
        return try await database.pool.write { db in
            switch try prepared.write(db, lastUpdated: lastUpdated, millis: millis, skipUnchanged: false) {
            case .created(let stored): return stored
            // The write transaction rolls back on the throw: an existing resource keeps its versions.
            case .updated, .unchanged: throw CreateError.idTaken(type: type, id: id)
            }
        }
    }
}
