/// Variables in allowed position
///
/// Variable usages must be compatible with the arguments they are passed to.
///
/// See https://spec.graphql.org/October2021/#sec-All-Variable-Usages-are-Allowed
final class VariablesInAllowedPositionRule: ValidationRule {
    let hooks: ValidationHooks = [.leaveDocument]

    // Checked once the whole document is visited, when every fragment's variable usages are known.
    func leave(_ document: Document, _ context: ValidationContext) {
        for (index, operation) in context.operations {
            // Each definition's type is made once, not once per usage; definitions kept by position
            // (not copied).
            let variableDefinitions = operation.variableDefinitions
            var definitions = NamedValues<(position: Int, type: GraphQLType?)>(minimumCapacity: variableDefinitions.count)
            for (position, definition) in variableDefinitions.enumerated() {
                definitions.set(definition.variable.value, (position, typeFromAST(context.schema, definition.type)))
            }
            for usage in context.recursiveVariableUsages(index) {
                guard let (position, type) = definitions[usage.name.value], let locationType = usage.type,
                    let variableType = type
                else { continue }
                let definition = variableDefinitions[position]
                if !self.isAllowed(context.schema, variableType, definition.defaultValue, locationType, usage.defaultValue) {
                    context.report(
                        "Variable \(quoted: "$\(usage.name.value)") of type \(quoted: "\(variableType)") used in position expecting type \(quoted: "\(locationType)").",
                        at: [definition.location, usage.location], asIf: .leavingDefinition(index))
                }
            }
        }
    }

    /// A nullable variable may flow into a non-null position only if it or the position has a
    /// non-null default value.
    private func isAllowed(
        _ schema: GraphQLSchema, _ variableType: GraphQLType, _ variableDefault: ValueNode?,
        _ locationType: GraphQLType, _ locationDefault: ValueNode?
    ) -> Bool {
        if case .nonNull(let nullableLocation) = locationType, !variableType.isNonNull {
            let hasNonNullVariableDefault = variableDefault.map { !$0.isNull } ?? false
            if !hasNonNullVariableDefault && locationDefault == nil { return false }
            return schema.isTypeSubType(variableType, of: nullableLocation)
        }
        return schema.isTypeSubType(variableType, of: locationType)
    }
}
