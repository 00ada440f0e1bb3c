/// No unused variables
///
/// A GraphQL operation is only valid if all variables defined by an operation are used, either
/// directly or within a spread fragment.
///
/// See https://spec.graphql.org/October2021/#sec-All-Variables-Used
final class NoUnusedVariablesRule: ValidationRule {
    let hooks: ValidationHooks = [.leaveDocument]

    // Checked once the whole document is visited, when every fragment's variable usages are known.
    func leave(_ document: Document, _ context: ValidationContext) {
        for (index, operation) in context.operations {
            let usages = context.recursiveVariableUsages(index)
            var used = KeyPositions(minimumCapacity: usages.count)
            for usage in usages { used.insert(usage.name.value) }
            for definition in operation.variableDefinitions where used.position(of: definition.variable.value) == nil {
                let name = definition.variable.value
                let message =
                    operation.name.map { "Variable \(quoted: "$\(name)") is never used in operation \(quoted: "\($0.value)")." }
                    ?? "Variable \(quoted: "$\(name)") is never used."
                context.report(message, at: [definition.location], asIf: .leavingDefinition(index))
            }
        }
    }
}
