/// Turns a resource into the search index entries of its type's parameters.
///
/// It runs on every write, so it walks only the registered paths (never the whole tree) and
/// never fails: values of an unexpected shape (a string where a Period belongs, a malformed date,
/// a `#contained` reference) are skipped, which to search looks exactly like a missing value.
///
/// ```swift
/// let observation = try FHIRResource([
///     "resourceType": "Observation", "id": "o1", "status": "final",
///     "code": ["coding": [["system": "http://loinc.org", "code": "29463-7"]]],
///     "subject": ["reference": "Patient/p1"],
///     "effectiveDateTime": "2017-06-01T10:00:00+02:00",
/// ])
/// SearchIndexer().entries(for: observation)
/// // _id=o1, code=http://loinc.org|29463-7, date=[...), patient=Patient/p1, status=final, subject=Patient/p1
/// ```
public struct SearchIndexer: Sendable {
    public let registry: SearchParameterRegistry

    /// Indexes the parameters `registry` defines for each resource type (the STU3 set by default).
    public init(registry: SearchParameterRegistry = .stu3) {
        self.registry = registry
    }

    /// All entries of `resource`, without duplicates, grouped by parameter in registry order.
    public func entries(for resource: FHIRResource) -> [SearchIndexEntry] {
        var collector = EntryCollector()
        for definition in registry.parameters(for: resource.resourceType) {
            collector.parameter = definition.name
            for path in definition.paths {
                for leaf in ElementWalker.leaves(of: path, in: resource.content) {
                    Self.extract(leaf, for: definition, into: &collector)
                }
            }
        }
        return collector.entries
    }

    private static func extract(_ leaf: ElementWalker.Leaf, for definition: SearchParameterDefinition, into collector: inout EntryCollector) {
        switch definition.type {
        case .token: ValueExtraction.tokens(leaf.value, into: &collector)
        case .string: ValueExtraction.strings(leaf, into: &collector)
        case .date: ValueExtraction.dates(leaf, into: &collector)
        case .reference: ValueExtraction.references(leaf.value, targets: definition.targets, into: &collector)
        case .quantity: ValueExtraction.quantities(leaf.value, into: &collector)
        case .number: ValueExtraction.numbers(leaf.value, into: &collector)
        case .uri: ValueExtraction.uris(leaf.value, into: &collector)
        }
    }
}

/// Gathers the entries of one resource, dropping exact duplicates (a code listed twice in a
/// CodeableConcept is one index row, not two).
struct EntryCollector {
    var parameter = ""
    private(set) var entries: [SearchIndexEntry] = []
    private var seen: Set<SearchIndexEntry> = []

    mutating func add(_ value: SearchIndexValue) {
        let entry = SearchIndexEntry(parameter: parameter, value: value)
        if seen.insert(entry).inserted { entries.append(entry) }
    }
}

/// Follows an ``ElementPath`` through a resource's element tree.
enum ElementWalker {
    /// A value the path ends at, with where it was found.
    struct Leaf {
        var value: FHIRValue
        /// For a choice element, the type part of the member name (`Period` in `effectivePeriod`).
        var choiceType: Substring?
        /// The object holding the value and the member name, so extractors can read the JSON
        /// `_name` sibling that carries a primitive's extensions.
        var parent: FHIRObject
        var key: String
    }

    static func leaves(of path: ElementPath, in root: FHIRObject) -> [Leaf] {
        var objects = [root]
        var leaves: [Leaf] = []
        let lastIndex = path.segments.count - 1
        for (position, segment) in path.segments.enumerated() {
            var next: [FHIRObject] = []
            for object in objects {
                for member in object.members {
                    guard let choiceType = match(member.key, segment) else { continue }
                    for element in member.value.elements {
                        if let filter = segment.filter, element[filter.key]?.stringValue != filter.value { continue }
                        if position == lastIndex {
                            leaves.append(Leaf(
                                value: element, choiceType: segment.isChoice ? choiceType : nil, parent: object,
                                key: member.key))
                        } else if case .object(let child) = element {
                            next.append(child)
                        }
                    }
                }
            }
            if next.isEmpty { break }
            objects = next
        }
        return leaves
    }

    /// nil when `key` is not the segment's element; otherwise the choice type suffix (empty for
    /// ordinary elements). `effective[x]` matches `effectivePeriod` but not `effective` or `_effectiveDateTime`.
    private static func match(_ key: String, _ segment: ElementPath.Segment) -> Substring? {
        guard segment.isChoice else { return key == segment.name ? Substring() : nil }
        guard key.hasPrefix(segment.name) else { return nil }
        let suffix = key.dropFirst(segment.name.count)
        guard let first = suffix.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else { return nil }
        return suffix
    }
}
