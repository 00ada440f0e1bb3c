/// No unused fragments
///
/// A GraphQL document is only valid if all fragment definitions are spread within operations,
/// or spread within other fragments spread within operations.
///
/// See https://spec.graphql.org/October2021/#sec-Fragments-Must-Be-Used
final class NoUnusedFragmentsRule: ValidationRule {
    let hooks: ValidationHooks = [.enterOperation, .enterFragmentDefinition, .leaveDocument]

    @exclusivity(unchecked) private var operations: [OperationDefinition] = []
    @exclusivity(unchecked) private var fragments: [FragmentDefinition] = []

    func enter(_ operation: OperationDefinition, _ context: ValidationContext) -> VisitAction {
        self.operations.append(operation)
        return .skipChildren
    }

    func enter(_ fragment: FragmentDefinition, _ context: ValidationContext) -> VisitAction {
        self.fragments.append(fragment)
        return .skipChildren
    }

    func leave(_ document: Document, _ context: ValidationContext) {
        var used = Set<String>()
        for operation in self.operations {
            for fragment in context.recursivelyReferencedFragments(operation) { used.insert(fragment.name.value) }
        }
        for fragment in self.fragments where !used.contains(fragment.name.value) {
            context.report("Fragment \(quoted: "\(fragment.name.value)") is never used.", at: fragment.location)
        }
    }
}
