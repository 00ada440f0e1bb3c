/// Unique operation names
///
/// A GraphQL document is only valid if all defined operations have unique names.
///
/// See https://spec.graphql.org/October2021/#sec-Operation-Name-Uniqueness
final class UniqueOperationNamesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterOperation, .enterFragmentDefinition]

    @exclusivity(unchecked) private var knownNames = NamedValues<Name>()

    func enter(_ operation: OperationDefinition, _ context: ValidationContext) -> VisitAction {
        guard let name = operation.name else { return .skipChildren }
        if let first = self.knownNames.first(name.value, recording: name) {
            context.report("There can be only one operation named \(quoted: "\(name.value)").", at: [first.location, name.location])
        }
        return .skipChildren
    }

    func enter(_ fragment: FragmentDefinition, _ context: ValidationContext) -> VisitAction { .skipChildren }
}
