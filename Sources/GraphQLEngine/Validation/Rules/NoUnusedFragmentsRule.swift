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
        // By the definition index of each name's fragment (the one its spreads reach).
        var used = [Bool](repeating: false, count: document.definitions.count)
        for (index, _) in context.operations {
            for fragment in context.referencedFragmentIndexes(ofDefinition: index) { used[fragment] = true }
        }
        for fragment in self.fragments where !(context.definitionIndex(ofFragment: fragment.name.value).map { used[$0] } ?? false) {
            context.report("Fragment \(quoted: "\(fragment.name.value)") is never used.", at: fragment.location)
        }
    }
}
