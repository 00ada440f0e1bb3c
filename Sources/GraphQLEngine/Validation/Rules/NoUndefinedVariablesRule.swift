/// No undefined variables
///
/// A GraphQL operation is only valid if all variables encountered, both directly and via
/// fragment spreads, are defined by that operation.
///
/// See https://spec.graphql.org/October2021/#sec-All-Variable-Uses-Defined
final class NoUndefinedVariablesRule: ValidationRule {
    /// Operations by definition index; checked once every fragment's usages are known.
    private var operations: [(index: Int, operation: OperationDefinition)] = []

    func enter(_ operation: OperationDefinition, _ context: ValidationContext) -> VisitAction {
        self.operations.append((context.currentDefinition, operation))
        return .continue
    }

    func leave(_ document: Document, _ context: ValidationContext) {
        for (index, operation) in self.operations {
            let defined = Set(operation.variableDefinitions.map(\.variable.value))
            for usage in context.recursiveVariableUsages(index) where !defined.contains(usage.name.value) {
                let message =
                    operation.name.map {
                        "Variable \"$\(usage.name.value)\" is not defined by operation \"\($0.value)\"."
                    } ?? "Variable \"$\(usage.name.value)\" is not defined."
                context.report(message, at: [usage.location, operation.location])
            }
        }
    }
}
