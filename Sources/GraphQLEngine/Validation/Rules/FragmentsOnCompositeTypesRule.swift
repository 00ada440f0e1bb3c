/// Fragments on composite type
///
/// Fragments use a type condition to determine if they apply, since fragments can only be
/// spread into a composite type (object, interface, or union), the type condition must also be
/// a composite type.
///
/// See https://spec.graphql.org/October2021/#sec-Fragments-On-Composite-Types
final class FragmentsOnCompositeTypesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterInlineFragment, .enterFragmentDefinition]

    func enter(_ fragment: InlineFragment, _ context: ValidationContext) -> VisitAction {
        if let condition = fragment.typeCondition, let type = context.schema.type(named: condition.value), !type.isComposite {
            context.report("Fragment cannot condition on non composite type \(quoted: "\(type.name)").", at: condition.location)
        }
        return .continue
    }

    func enter(_ fragment: FragmentDefinition, _ context: ValidationContext) -> VisitAction {
        let condition = fragment.typeCondition
        if let type = context.schema.type(named: condition.value), !type.isComposite {
            context.report(
                "Fragment \(quoted: "\(fragment.name.value)") cannot condition on non composite type \(quoted: "\(type.name)").",
                at: condition.location)
        }
        return .continue
    }
}
