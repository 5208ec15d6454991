/// A JSON object whose members keep the order they were written in.
///
/// Lookup is linear: FHIR objects are small (a Patient has a few dozen members at most), and a linear
/// scan over a contiguous array beats hashing at that size while keeping order for free.
///
/// ```swift
/// var patient: FHIRObject = ["resourceType": "Patient", "id": "p1"]
/// patient["gender"] = "female"      // appended at the end
/// patient["id"] = "p2"              // replaced in place
/// patient.keys                      // ["resourceType", "id", "gender"]
/// ```
public struct FHIRObject: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: FHIRValue

        public init(key: String, value: FHIRValue) {
            self.key = key
            self.value = value
        }
    }

    public var members: [Member]

    public init(_ members: [Member] = []) {
        self.members = members
    }

    public var keys: [String] { members.map(\.key) }

    public var isEmpty: Bool { members.isEmpty }

    public var count: Int { members.count }

    /// Reads a member; assigning nil removes it, assigning a value replaces it in place or appends it.
    public subscript(key: String) -> FHIRValue? {
        get {
            for member in members where member.key == key { return member.value }
            return nil
        }
        set {
            let index = members.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append(Member(key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    /// Sets a member and moves it to `position` (clamped), for elements whose place is fixed, such as
    /// `resourceType` first and `id`, `meta` right after it.
    public mutating func insert(_ value: FHIRValue, forKey key: String, at position: Int) {
        members.removeAll { $0.key == key }
        members.insert(Member(key: key, value: value), at: Swift.min(Swift.max(position, 0), members.count))
    }
}

extension FHIRObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, FHIRValue)...) {
        self.init(elements.map { Member(key: $0.0, value: $0.1) })
    }
}

extension FHIRObject: Sequence {
    public func makeIterator() -> IndexingIterator<[Member]> {
        members.makeIterator()
    }
}
