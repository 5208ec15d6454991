import FHIR
import Foundation
import GRDB

/// One resource's write, with everything that can be computed outside the write transaction
/// (index entries, references, compartment) computed up front to keep the single writer short.
struct PreparedWrite: Sendable {
    let incoming: IncomingResource
    let type: String
    let id: String
    let entries: [SearchIndexEntry]
    let links: Set<LocalReferences.Target>
    let compartment: Set<String>

    init(incoming: IncomingResource, indexer: SearchIndexer, references: LocalReferences) {
        self.incoming = incoming
        self.type = incoming.resource.resourceType
        self.id = incoming.resource.id ?? ""
        self.entries = indexer.entries(for: incoming.resource)
        self.links = ReferenceCollector.targets(in: incoming.resource, references: references)
        self.compartment = PatientCompartment.patients(of: incoming.resource, references: references)
    }

    func write(_ db: Database, lastUpdated: String, millis: Int64, skipUnchanged: Bool) throws
        -> ResourceRepository.WriteResult
    {
        let existing = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT resource_key, current_version FROM resource WHERE type = ? AND id = ?"),
            arguments: [type, id])
        if skipUnchanged, let existing {
            let key: Int64 = existing["resource_key"]
            let version: Int = existing["current_version"]
            if let current = try Row.fetchOne(
                db, sql: "SELECT version, last_updated, content_json FROM resource_version WHERE resource_key = ? AND version = ?",
                arguments: [key, version])
            {
                let stored = StoredResource(type: type, id: id, row: current)
                if let resource = try? stored.resource(), Self.sameContent(resource, incoming.resource) {
                    return .unchanged(stored)
                }
            }
        }

        var resource = incoming.resource
        let version = (existing?["current_version"] as Int? ?? 0) + 1
        resource.versionId = String(version)
        resource.lastUpdated = lastUpdated
        let content = FHIRJSON.serialize(resource)
        let masked = BSNMasking.masked(resource).map { Data(FHIRJSON.serialize($0)) }

        let key: Int64
        if let existing {
            key = existing["resource_key"]
            try db.execute(
                cachedSQL: "UPDATE resource SET current_version = ?, last_updated_ms = ? WHERE resource_key = ?",
                arguments: [version, millis, key])
            try clearIndex(db, key: key)
        } else {
            try db.execute(
                cachedSQL: "INSERT INTO resource (type, id, current_version, last_updated_ms, created_ms) VALUES (?, ?, ?, ?, ?)",
                arguments: [type, id, version, millis, millis])
            key = db.lastInsertedRowID
        }
        try db.execute(
            cachedSQL: """
                INSERT INTO resource_version (resource_key, version, last_updated, content_json, masked_json, received_format, received_bytes)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                key, version, lastUpdated, Data(content), masked,
                incoming.receivedBytes.map { _ in incoming.receivedFormat.rawValue }, incoming.receivedBytes.map { Data($0) },
            ])
        try writeIndex(db, key: key, millis: millis)

        let stored = StoredResource(type: type, id: id, version: version, lastUpdated: lastUpdated, contentJSON: content)
        return existing == nil ? .created(stored) : .updated(stored)
    }

    /// Rewrites the index rows of an already stored resource (used by migrations that change what is
    /// indexed); `millis` is the moment of its current version.
    func reindex(_ db: Database, key: Int64, millis: Int64) throws {
        try clearIndex(db, key: key)
        try writeIndex(db, key: key, millis: millis)
    }

    private func clearIndex(_ db: Database, key: Int64) throws {
        for table in IndexTable.allCases {
            try db.execute(cachedSQL: "DELETE FROM \(table.rawValue) WHERE resource_key = ?", arguments: [key])
        }
        try db.execute(cachedSQL: "DELETE FROM patient_compartment WHERE resource_key = ?", arguments: [key])
        try db.execute(cachedSQL: "DELETE FROM patient_link WHERE resource_key = ?", arguments: [key])
    }

    private func writeIndex(_ db: Database, key: Int64, millis: Int64) throws {
        // `_lastUpdated` is the moment of this write, not whatever meta the resource arrived with.
        let stamped = entries.filter { $0.parameter != "_lastUpdated" }
            + [SearchIndexEntry(parameter: "_lastUpdated", value: .date(DateRange(lowerBound: millis, upperBound: millis + 1)))]
        for entry in stamped {
            switch entry.value {
            case .token(let system, let code):
                try db.execute(
                    cachedSQL: "INSERT INTO token_index (resource_key, param, system, code) VALUES (?, ?, ?, ?)",
                    arguments: [key, entry.parameter, system, code])
            case .string(let normalized, let exact):
                try db.execute(
                    cachedSQL: "INSERT INTO string_index (resource_key, param, value, value_exact) VALUES (?, ?, ?, ?)",
                    arguments: [key, entry.parameter, normalized, exact])
            case .date(let range):
                try db.execute(
                    cachedSQL: "INSERT INTO date_index (resource_key, param, low_ms, high_ms) VALUES (?, ?, ?, ?)",
                    arguments: [key, entry.parameter, range.lowerBound, range.upperBound])
            case .reference(let targetType, let targetID, let url):
                try db.execute(
                    cachedSQL: "INSERT INTO reference_index (resource_key, param, target_type, target_id, url) VALUES (?, ?, ?, ?, ?)",
                    arguments: [key, entry.parameter, targetType, targetID, url])
            case .quantity(let value, let system, let code):
                try db.execute(
                    cachedSQL: "INSERT INTO quantity_index (resource_key, param, value, system, code) VALUES (?, ?, ?, ?, ?)",
                    arguments: [key, entry.parameter, value, system, code])
            case .number(let value):
                try db.execute(
                    cachedSQL: "INSERT INTO quantity_index (resource_key, param, value, system, code) VALUES (?, ?, ?, NULL, NULL)",
                    arguments: [key, entry.parameter, value])
            case .uri(let value):
                try db.execute(
                    cachedSQL: "INSERT INTO uri_index (resource_key, param, value) VALUES (?, ?, ?)",
                    arguments: [key, entry.parameter, value])
            }
        }
        for patientID in compartment {
            try db.execute(
                cachedSQL: "INSERT INTO patient_compartment (patient_id, resource_type, resource_key) VALUES (?, ?, ?)",
                arguments: [patientID, type, key])
        }
        for link in links {
            for patientID in compartment {
                try db.execute(
                    cachedSQL: """
                        INSERT INTO patient_link (patient_id, target_type, target_id, resource_key, resource_type)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [patientID, link.type, link.id, key, type])
            }
        }
    }

    /// Equal apart from what the server itself sets (`meta.versionId`, `meta.lastUpdated`).
    static func sameContent(_ lhs: FHIRResource, _ rhs: FHIRResource) -> Bool {
        var lhs = lhs
        var rhs = rhs
        lhs.versionId = nil
        lhs.lastUpdated = nil
        rhs.versionId = nil
        rhs.lastUpdated = nil
        return lhs == rhs
    }
}

enum IndexTable: String, CaseIterable {
    case token = "token_index"
    case string = "string_index"
    case date = "date_index"
    case reference = "reference_index"
    case quantity = "quantity_index"
    case uri = "uri_index"
}
