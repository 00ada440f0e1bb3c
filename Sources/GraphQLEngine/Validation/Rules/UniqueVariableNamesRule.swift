/// Unique variable names
///
/// A GraphQL operation is only valid if all its variables are uniquely named.
///
/// See https://spec.graphql.org/October2021/#sec-Variable-Uniqueness
final class UniqueVariableNamesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterOperation]

    func enter(_ operation: OperationDefinition, _ context: ValidationContext) -> VisitAction {
        guard hasRepeatedName(operation.variableDefinitions.map(\.variable.value)) else { return .continue }
        var order: [String] = []
        var byName: [String: [Location]] = [:]
        for definition in operation.variableDefinitions {
            let name = definition.variable.value
            if byName[name] == nil { order.append(name) }
            byName[name, default: []].append(definition.variable.location)
        }
        for name in order {
            guard let locations = byName[name], locations.count > 1 else { continue }
            context.report("There can be only one variable named \(quoted: "$\(name)").", at: locations)
        }
        return .continue
    }
}
