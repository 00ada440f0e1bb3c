/// No undefined variables
///
/// A GraphQL operation is only valid if all variables encountered, both directly and via
/// fragment spreads, are defined by that operation.
///
/// See https://spec.graphql.org/October2021/#sec-All-Variable-Uses-Defined
final class NoUndefinedVariablesRule: ValidationRule {
    let hooks: ValidationHooks = [.leaveDocument]

    // Checked once the whole document is visited, when every fragment's variable usages are known.
    func leave(_ document: Document, _ context: ValidationContext) {
        for (index, operation) in context.operations {
            let defined = KeyPositions(uniqueKeys: operation.variableDefinitions.map(\.variable.value))
            for usage in context.recursiveVariableUsages(index) where defined.position(of: usage.name.value) == nil {
                let message =
                    operation.name.map {
                        "Variable \(quoted: "$\(usage.name.value)") is not defined by operation \(quoted: "\($0.value)")."
                    } ?? "Variable \(quoted: "$\(usage.name.value)") is not defined."
                context.report(message, at: [usage.location, operation.location], asIf: .leavingDefinition(index))
            }
        }
    }
}
