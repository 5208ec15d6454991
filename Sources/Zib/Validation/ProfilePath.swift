/// Element paths as the validator uses them: a StructureDefinition element id with type choices
/// resolved, split into steps of an element name and an optional slice name.
///
/// `Observation.component:SystolicBP.value[x]:valueQuantity.code` becomes
/// `Observation.component:SystolicBP.valueQuantity.code`: a "slice" of a choice element named after
/// one of its types is that type's JSON element, not a slice (as is `valueString:valueString`, which
/// some Nictiz ids use).
///
/// ```swift
/// ProfilePath.normalize(id: "Observation.value[x]:valueQuantity.code")  // "Observation.valueQuantity.code"
/// ProfilePath.steps("Observation.component:SystolicBP.code").map(\.slice)  // [nil, "SystolicBP", nil]
/// ```
enum ProfilePath {
    struct Step: Hashable {
        var name: String
        var slice: String?

        var text: String { slice.map { "\(name):\($0)" } ?? name }
    }

    static func steps(_ path: String) -> [Step] {
        path.split(separator: ".", omittingEmptySubsequences: false).map { segment in
            guard let colon = segment.firstIndex(of: ":") else { return Step(name: String(segment)) }
            return Step(name: String(segment[..<colon]), slice: String(segment[segment.index(after: colon)...]))
        }
    }

    static func join(_ steps: [Step]) -> String {
        steps.map(\.text).joined(separator: ".")
    }

    static func normalize(id: String) -> String {
        join(steps(id).map { step in
            // Some ids name the type's element and "slice" it by its own name: `valueString:valueString`.
            // (A slice named like a plain element, `relationship:relationship`, is a real slice.)
            let typedChoice = step.name == step.slice && step.name.contains { $0.isUppercase }
            guard let slice = step.slice, step.name.hasSuffix("[x]") || typedChoice else { return step }
            return Step(name: slice)
        })
    }

    /// The element name `choice` of type `type` has in JSON: `value[x]` + `Quantity` → `valueQuantity`.
    static func choiceName(_ choice: String, type: String) -> String {
        String(choice.dropLast(3)) + type.prefix(1).uppercased() + type.dropFirst()
    }

    /// The path without its last slice name, when it ends in one (`…component:SystolicBP` → `…component`).
    static func slicedElement(of path: String) -> (element: String, slice: String)? {
        var all = steps(path)
        guard let last = all.last, let slice = last.slice else { return nil }
        all[all.count - 1] = Step(name: last.name)
        return (join(all), slice)
    }
}
