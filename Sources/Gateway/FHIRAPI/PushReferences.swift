import FHIR
import Foundation
import Store

/// Gives every entry of a push its server id and points every reference inside the Bundle at it.
///
/// Resolution follows FHIR's rules for references inside a transaction, narrowed to what a push
/// needs: a reference equal to an entry's `fullUrl` (`urn:uuid:…`, `urn:oid:…` or an absolute URL on
/// the sender's server), or the sender's own `Type/id` of an entry, names that entry. The Bundle's
/// Patient is never stored: references to it become references to the patient's own record.
///
/// Everything else that looks local is refused rather than guessed at: an unresolved `urn:` reference
/// or `Type/id` would point into this server's store, where the sender has no business naming
/// anything. Contained (`#id`) references and absolute URLs on other servers stay as they are.
///
/// ```swift
/// let resolved = try PushReferences.resolve(bundle, patientID: "pzc-park-patient", references: repository.references)
/// resolved.resources[2]   // the third entry's resource, with a server id and rewritten references
/// ```
struct PushReferences: Sendable {
    /// Per entry (in Bundle order), the resource with its server id and rewritten references; the
    /// Patient entry keeps its own content apart from references (it is validated, not stored).
    let resources: [FHIRResource]
    /// Per entry, `Type/id` it stands for on this server.
    let targets: [String]

    /// One reference that names nothing the push may name.
    struct Unresolved: Sendable, Hashable {
        let index: Int
        /// FHIRPath-style location inside the entry's resource, starting at its type.
        let location: String
    }

    struct UnresolvedReferences: Error, Sendable {
        let references: [Unresolved]
    }

    /// Assigns ids and rewrites references; throws every unresolved reference at once.
    static func resolve(
        _ bundle: PushBundle, patientID: String, references: LocalReferences, newID: () -> String = { UUID().uuidString.lowercased() }
    ) throws(UnresolvedReferences) -> PushReferences {
        var table: [String: String] = [:]
        var targets: [String] = []
        for entry in bundle.entries {
            let type = entry.resource.resourceType
            let target = entry.index == bundle.patientIndex ? "Patient/\(patientID)" : "\(type)/\(newID())"
            targets.append(target)
            if let fullUrl = entry.fullUrl { table[fullUrl] = target }
            if let id = entry.resource.id { table["\(type)/\(id)"] = target }
        }
        let rewriter = PushReferenceRewriter(table)
        let known = Set(targets)
        var resources: [FHIRResource] = []
        var unresolved: [Unresolved] = []
        for (entry, target) in zip(bundle.entries, targets) {
            var resource = rewriter.rewrite(entry.resource)
            if entry.index != bundle.patientIndex {
                resource.id = String(target.split(separator: "/").last ?? "")
                resource.versionId = nil
                resource.lastUpdated = nil
            }
            for (location, reference) in PushReferenceRewriter.references(in: resource)
            where !isAcceptable(reference, known: known, references: references) {
                unresolved.append(Unresolved(index: entry.index, location: location))
            }
            resources.append(resource)
        }
        guard unresolved.isEmpty else { throw UnresolvedReferences(references: unresolved) }
        return PushReferences(resources: resources, targets: targets)
    }

    /// A reference that stays after rewriting is fine when it names an entry (now by server id), a
    /// contained resource, or a resource on another server.
    static func isAcceptable(_ reference: String, known: Set<String>, references: LocalReferences) -> Bool {
        if known.contains(reference) || reference.hasPrefix("#") { return true }
        if reference.hasPrefix("urn:") { return false }
        if let target = references.target(reference) {
            return known.contains("\(target.type)/\(target.id)")
        }
        // Absolute URLs on other servers are that server's resources; anything else is malformed.
        return reference.hasPrefix("https://") || reference.hasPrefix("http://")
    }

    /// The 400 for unresolved references: one issue per reference, located in its entry.
    static func outcome(_ error: UnresolvedReferences) -> FHIRResource {
        OperationOutcome(error.references.map { unresolved in
            OperationOutcome.Issue(
                code: .invalid,
                diagnostics: "the reference names no entry of this Bundle; a push may refer to its own entries (by fullUrl or Type/id), contained resources and resources on other servers",
                expression: [PushLocation.inEntry(unresolved.index, unresolved.location)])
        }).resource
    }
}

/// Locations inside a pushed Bundle: a resource's own location (`Condition.code`) placed under its
/// entry (`Bundle.entry[3].resource.code`), and the STU3 XPath of it, where the resource sits inside an
/// element named after its type (`/f:Bundle/f:entry[4]/f:resource/f:Condition/f:code`).
enum PushLocation {
    static func inEntry(_ index: Int, _ location: String) -> String {
        let rest = location.split(separator: ".", maxSplits: 1).dropFirst().first.map { ".\($0)" } ?? ""
        return "Bundle.entry[\(index)].resource\(rest)"
    }

    static func xpath(entry index: Int, _ location: String) -> String {
        "/f:Bundle/f:entry[\(index + 1)]/f:resource" + ValidationOutcome.xpath(location)
    }
}
