import FHIR

/// Rewrites the literal references (`Reference.reference`) of a resource through a table, so that a
/// pushed Bundle's `urn:uuid:` fullUrls and the sender's own ids become this server's `Type/id`.
///
/// Every object member named `reference` whose value is a string is a `Reference.reference` in STU3,
/// at any depth (extensions included), so the walk needs no type information. Contained resources are
/// walked too: their references resolve within the same Bundle. References not in the table are left
/// alone; which of them are acceptable is the caller's decision.
///
/// ```swift
/// let rewritten = PushReferenceRewriter(["urn:uuid:1f0…": "Condition/9c2…"]).rewrite(observation)
/// ```
public struct PushReferenceRewriter: Sendable {
    public let table: [String: String]

    public init(_ table: [String: String]) {
        self.table = table
    }

    public func rewrite(_ resource: FHIRResource) -> FHIRResource {
        guard !table.isEmpty, case .object(let content) = rewrite(.object(resource.content)) else { return resource }
        // The rewrite never touches `resourceType`, so the content stays a resource.
        return (try? FHIRResource(content)) ?? resource
    }

    func rewrite(_ value: FHIRValue) -> FHIRValue {
        switch value {
        case .object(var object):
            for index in object.members.indices {
                let member = object.members[index]
                if member.key == "reference", let text = member.value.stringValue {
                    if let replacement = table[text] { object.members[index].value = .string(replacement) }
                } else {
                    object.members[index].value = rewrite(member.value)
                }
            }
            return .object(object)
        case .array(let array):
            return .array(array.map(rewrite))
        case .string, .number, .boolean, .null:
            return value
        }
    }

    /// Every literal reference in a resource with its FHIRPath-style location (`Observation.subject`,
    /// `Condition.extension[0].valueReference`), in document order.
    public static func references(in resource: FHIRResource) -> [(location: String, reference: String)] {
        var found: [(String, String)] = []
        collect(.object(resource.content), location: resource.resourceType, into: &found)
        return found
    }

    private static func collect(_ value: FHIRValue, location: String, into found: inout [(String, String)]) {
        switch value {
        case .object(let object):
            for member in object.members {
                if member.key == "reference", let text = member.value.stringValue {
                    found.append((location, text))
                } else {
                    collect(member.value, location: "\(location).\(member.key)", into: &found)
                }
            }
        case .array(let array):
            for (index, element) in array.enumerated() {
                collect(element, location: "\(location)[\(index)]", into: &found)
            }
        case .string, .number, .boolean, .null:
            break
        }
    }
}
