/// Subscriptions must only include a non-introspection field.
///
/// A GraphQL subscription is valid only if it contains a single root field and that root field
/// is not an introspection field.
///
/// See https://spec.graphql.org/October2021/#sec-Single-root-field
final class SingleFieldSubscriptionsRule: ValidationRule {
    let hooks: ValidationHooks = [.enterOperation, .enterFragmentDefinition]

    func enter(_ operation: OperationDefinition, _ context: ValidationContext) -> VisitAction {
        guard operation.operation == .subscription else { return .skipChildren }
        guard let subscriptionType = context.schema.subscriptionType else { return .skipChildren }
        let label = operation.name.map { "Subscription \(quoted: "\($0.value)")" } ?? "Anonymous Subscription"
        let grouped = collectFieldsForValidation(context, subscriptionType, operation.selectionSet)
        if grouped.count > 1 {
            let extra = grouped.dropFirst().flatMap { $0.fields.map(\.location) }
            context.report("\(label) must select only one top level field.", at: extra)
        }
        for group in grouped where group.fields[0].name.value.hasPrefix("__") {
            context.report(
                "\(label) must not select an introspection top level field.", at: group.fields.map(\.location))
        }
        return .skipChildren
    }

    func enter(_ fragment: FragmentDefinition, _ context: ValidationContext) -> VisitAction { .skipChildren }
}

/// CollectFields without variables, for rules that reason about root fields.
func collectFieldsForValidation(
    _ context: ValidationContext, _ type: GraphQLNamedType, _ selectionSet: SelectionSet
) -> [(key: String, fields: [Field])] {
    var groups: [(key: String, fields: [Field])] = []
    var indexByKey: [String: Int] = [:]
    var visited = Set<String>()
    func collect(_ set: SelectionSet) {
        for selection in set.selections {
            guard includedWithoutVariables(selection.directives) else { continue }
            switch selection {
            case .field(let field):
                if let index = indexByKey[field.responseKey] {
                    groups[index].fields.append(field)
                } else {
                    indexByKey[field.responseKey] = groups.count
                    groups.append((field.responseKey, [field]))
                }
            case .fragmentSpread(let spread):
                guard visited.insert(spread.name.value).inserted, let fragment = context.fragment(named: spread.name.value),
                    let condition = context.schema.type(named: fragment.typeCondition.value),
                    condition === type || (condition.isAbstract && context.schema.isSubType(condition, type))
                else { continue }
                collect(fragment.selectionSet)
            case .inlineFragment(let fragment):
                if let name = fragment.typeCondition?.value {
                    guard let condition = context.schema.type(named: name),
                        condition === type || (condition.isAbstract && context.schema.isSubType(condition, type))
                    else { continue }
                }
                collect(fragment.selectionSet)
            }
        }
    }
    collect(selectionSet)
    return groups
}

/// `@skip`/`@include` with literal conditions; a variable condition counts as included.
private func includedWithoutVariables(_ directives: [Directive]) -> Bool {
    for directive in directives {
        guard let argument = directive.arguments.first(where: { $0.name.value == "if" }),
            case .boolean(let condition) = argument.value.kind
        else { continue }
        if directive.name.value == "skip" && condition { return false }
        if directive.name.value == "include" && !condition { return false }
    }
    return true
}
