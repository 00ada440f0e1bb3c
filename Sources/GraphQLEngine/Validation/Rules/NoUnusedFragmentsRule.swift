/// No unused fragments
///
/// A GraphQL document is only valid if all fragment definitions are spread within operations,
/// or spread within other fragments spread within operations.
///
/// See https://spec.graphql.org/October2021/#sec-Fragments-Must-Be-Used
final class NoUnusedFragmentsRule: ValidationRule {
    let hooks: ValidationHooks = [.enterFragmentDefinition, .leaveDocument]

    @exclusivity(unchecked) private var fragments: [FragmentDefinition] = []

    func enter(_ fragment: FragmentDefinition, _ context: ValidationContext) -> VisitAction {
        self.fragments.append(fragment)
        return .skipChildren
    }

    /// The fragments the operations reach, from the spreads the walk recorded.
    func leave(_ document: Document, _ context: ValidationContext) {
        var used = Set<String>()
        for (index, _) in context.operations {
            for fragment in context.referencedFragmentIndexes(ofDefinition: index) {
                if case .fragment(let definition) = document.definitions[fragment] { used.insert(definition.name.value) }
            }
        }
        for fragment in self.fragments where !used.contains(fragment.name.value) {
            context.report("Fragment \(quoted: "\(fragment.name.value)") is never used.", at: fragment.location)
        }
    }
}
