/// Unique fragment names
///
/// A GraphQL document is only valid if all defined fragments have unique names.
///
/// See https://spec.graphql.org/October2021/#sec-Fragment-Name-Uniqueness
final class UniqueFragmentNamesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterOperation, .enterFragmentDefinition]

    @exclusivity(unchecked) private var knownNames = NamedValues<Name>()

    func enter(_ operation: OperationDefinition, _ context: ValidationContext) -> VisitAction { .skipChildren }

    func enter(_ fragment: FragmentDefinition, _ context: ValidationContext) -> VisitAction {
        let name = fragment.name
        if let first = self.knownNames.first(name.value, recording: name) {
            context.report("There can be only one fragment named \(quoted: "\(name.value)").", at: [first.location, name.location])
        }
        return .skipChildren
    }
}
