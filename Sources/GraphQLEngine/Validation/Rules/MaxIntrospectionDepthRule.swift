/// Maximum introspection depth
///
/// Rejects introspection queries that nest `fields`, `interfaces`, `possibleTypes` or
/// `inputFields` three or more levels deep, which could otherwise make the server do
/// exponential work (graphql-js 16.9).
final class MaxIntrospectionDepthRule: ValidationRule {
    let hooks: ValidationHooks = [.enterField]

    private static let maxListsDepth = 3

    func enter(_ field: Field, _ context: ValidationContext) -> VisitAction {
        guard field.name.value == "__schema" || field.name.value == "__type" else { return .continue }
        var walk = Walk(context: context)
        if walk.exceeds(.field(field), depth: 0) {
            context.report("Maximum introspection depth exceeded", at: field.location)
            return .skipChildren
        }
        return .continue
    }

    /// One check's walk. A fragment's answer at a depth is remembered, so a fragment spread twice
    /// per level (2^n expansions) is walked once per depth: linear in the document.
    private struct Walk {
        let context: ValidationContext
        /// A fragment at a depth.
        struct Key: Hashable {
            let fragment: String
            let depth: Int
        }

        var known: [Key: Bool] = [:]
        var inProgress: Set<Key> = []

        /// The introspection fields that return lists of types or fields.
        static func isListField(_ name: String) -> Bool {
            switch name {
            case "fields", "interfaces", "possibleTypes", "inputFields": true
            default: false
            }
        }

        mutating func exceeds(_ selection: Selection, depth: Int) -> Bool {
            var depth = depth
            let selectionSet: SelectionSet?
            switch selection {
            case .fragmentSpread(let spread):
                let key = Key(fragment: spread.name.value, depth: depth)
                if let answer = self.known[key] { return answer }
                guard let fragment = self.context.fragment(named: spread.name.value), self.inProgress.insert(key).inserted else {
                    return false
                }
                let answer = fragment.selectionSet.selections.contains { self.exceeds($0, depth: depth) }
                self.inProgress.remove(key)
                self.known[key] = answer
                return answer
            case .field(let field):
                if Self.isListField(field.name.value) {
                    depth += 1
                    if depth >= MaxIntrospectionDepthRule.maxListsDepth { return true }
                }
                selectionSet = field.selectionSet
            case .inlineFragment(let fragment):
                selectionSet = fragment.selectionSet
            }
            guard let selectionSet else { return false }
            for child in selectionSet.selections where self.exceeds(child, depth: depth) { return true }
            return false
        }
    }
}
