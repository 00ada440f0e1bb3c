/// Possible fragment spread
///
/// A fragment spread is only valid if the type condition could ever possibly be true: if there
/// is a non-empty intersection of the possible parent types, and possible types which pass the
/// type condition.
///
/// See https://spec.graphql.org/October2021/#sec-Fragment-spread-is-possible
final class PossibleFragmentSpreadsRule: ValidationRule {
    let hooks: ValidationHooks = [.enterInlineFragment, .enterFragmentSpread]

    func enter(_ fragment: InlineFragment, _ context: ValidationContext) -> VisitAction {
        if let fragmentType = context.namedType, fragmentType.isComposite,
            let parentType = context.parentType, !context.schema.doTypesOverlap(fragmentType, parentType)
        {
            context.report(
                "Fragment cannot be spread here as objects of type \(quoted: "\(parentType.name)") can never be of type \(quoted: "\(fragmentType.name)").",
                at: fragment.location)
        }
        return .continue
    }

    func enter(_ spread: FragmentSpread, _ context: ValidationContext) -> VisitAction {
        let name = spread.name.value
        if let fragment = context.fragment(named: name),
            let fragmentType = context.schema.type(named: fragment.typeCondition.value), fragmentType.isComposite,
            let parentType = context.parentType, !context.schema.doTypesOverlap(fragmentType, parentType)
        {
            context.report(
                "Fragment \(quoted: "\(name)") cannot be spread here as objects of type \(quoted: "\(parentType.name)") can never be of type \(quoted: "\(fragmentType.name)").",
                at: spread.location)
        }
        return .continue
    }
}
