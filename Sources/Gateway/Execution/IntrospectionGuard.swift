import GraphQLEngine

/// Finds introspection (`__schema`, `__type`) in an operation, for a gateway that turns it off
/// (the production profile). `__typename` stays allowed.
enum IntrospectionGuard {
    static let disabledError = GraphQLError("Introspection is disabled on this gateway.", extensions: ["code": "INTROSPECTION_DISABLED"])

    static func uses(_ operation: OperationDefinition, fragments: [String: FragmentDefinition]) -> Bool {
        var visited = Set<String>()
        return self.uses(operation.selectionSet, fragments, &visited)
    }

    private static func uses(_ selectionSet: SelectionSet, _ fragments: [String: FragmentDefinition], _ visited: inout Set<String>) -> Bool {
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                if field.name.value == "__schema" || field.name.value == "__type" { return true }
                if let inner = field.selectionSet, self.uses(inner, fragments, &visited) { return true }
            case .inlineFragment(let fragment):
                if self.uses(fragment.selectionSet, fragments, &visited) { return true }
            case .fragmentSpread(let spread):
                guard visited.insert(spread.name.value).inserted, let fragment = fragments[spread.name.value] else { continue }
                if self.uses(fragment.selectionSet, fragments, &visited) { return true }
            }
        }
        return false
    }
}
