/// Unique fragment names
///
/// A GraphQL document is only valid if all defined fragments have unique names.
///
/// See https://spec.graphql.org/October2021/#sec-Fragment-Name-Uniqueness
final class UniqueFragmentNamesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterOperation, .enterFragmentDefinition]

    @exclusivity(unchecked) private var knownNames: [String: Name] = [:]

    func enter(_ operation: OperationDefinition, _ context: ValidationContext) -> VisitAction { .skipChildren }

    func enter(_ fragment: FragmentDefinition, _ context: ValidationContext) -> VisitAction {
        let name = fragment.name
        if let first = self.knownNames[name.value] {
            context.report("There can be only one fragment named \(quoted: "\(name.value)").", at: [first.location, name.location])
        } else {
            self.knownNames[name.value] = name
        }
        return .skipChildren
    }
}
