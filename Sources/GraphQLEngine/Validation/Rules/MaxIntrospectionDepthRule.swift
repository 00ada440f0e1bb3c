/// Maximum introspection depth
///
/// Rejects introspection queries that nest `fields`, `interfaces`, `possibleTypes` or
/// `inputFields` three or more levels deep, which could otherwise make the server do
/// exponential work (graphql-js 16.9).
final class MaxIntrospectionDepthRule: ValidationRule {
    private static let maxListsDepth = 3
    private static let listFields: Set<String> = ["fields", "interfaces", "possibleTypes", "inputFields"]

    func enter(_ field: Field, _ context: ValidationContext) -> VisitAction {
        guard field.name.value == "__schema" || field.name.value == "__type" else { return .continue }
        var visited = Set<String>()
        if self.exceeds(.field(field), context, &visited, depth: 0) {
            context.report("Maximum introspection depth exceeded", at: field.location)
            return .skipChildren
        }
        return .continue
    }

    private func exceeds(_ selection: Selection, _ context: ValidationContext, _ visited: inout Set<String>, depth: Int)
        -> Bool
    {
        var depth = depth
        let selectionSet: SelectionSet?
        switch selection {
        case .fragmentSpread(let spread):
            let name = spread.name.value
            guard !visited.contains(name), let fragment = context.fragment(named: name) else { return false }
            visited.insert(name)
            defer { visited.remove(name) }
            return fragment.selectionSet.selections.contains { self.exceeds($0, context, &visited, depth: depth) }
        case .field(let field):
            if Self.listFields.contains(field.name.value) {
                depth += 1
                if depth >= Self.maxListsDepth { return true }
            }
            selectionSet = field.selectionSet
        case .inlineFragment(let fragment):
            selectionSet = fragment.selectionSet
        }
        guard let selectionSet else { return false }
        for child in selectionSet.selections where self.exceeds(child, context, &visited, depth: depth) { return true }
        return false
    }
}
