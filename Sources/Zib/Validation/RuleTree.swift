/// A profile's rules arranged as the element tree they constrain, so the validator walks resource
/// and rules together: a node per element name, with the rule for the element itself and, for sliced
/// elements, a node per slice (whose rules apply only to the occurrences that belong to it).
///
/// ```swift
/// let tree = RuleTree(rules: bloodPressure.rules, type: "Observation")
/// tree.root.children.map(\.name)  // ["status", "code", "component", …]
/// ```
struct RuleTree: Sendable {
    struct Node: Sendable {
        var name: String
        var rule: ProfileRule?
        var children: [Node] = []
        /// Slices in definition order: the first slice an occurrence matches is the one it belongs to.
        var slices: [Slice] = []

        init(name: String) {
            self.name = name
        }

        mutating func insert(_ rule: ProfileRule, at steps: ArraySlice<ProfilePath.Step>) {
            guard let step = steps.first else {
                self.rule = rule
                return
            }
            let childIndex = children.firstIndex { $0.name == step.name } ?? {
                children.append(Node(name: step.name))
                return children.count - 1
            }()
            guard let slice = step.slice else {
                children[childIndex].insert(rule, at: steps.dropFirst())
                return
            }
            var node = children[childIndex]
            let sliceIndex = node.slices.firstIndex { $0.name == slice } ?? {
                node.slices.append(Slice(name: slice, node: Node(name: step.name)))
                return node.slices.count - 1
            }()
            node.slices[sliceIndex].node.insert(rule, at: steps.dropFirst())
            children[childIndex] = node
        }
    }

    struct Slice: Sendable {
        var name: String
        var node: Node

        var criteria: [SliceCriterion] { node.rule?.sliceMatch ?? [] }
    }

    var root: Node

    init(rules: [ProfileRule], type: String) {
        var root = Node(name: type)
        for rule in rules {
            let steps = ProfilePath.steps(rule.path)
            // Rules of another root (none in well-formed profiles) cannot be placed and are skipped.
            guard steps.first?.name == type else { continue }
            root.insert(rule, at: steps.dropFirst())
        }
        self.root = root
    }
}
