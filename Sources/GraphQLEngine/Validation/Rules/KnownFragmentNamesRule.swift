/// Known fragment names
///
/// A GraphQL document is only valid if all `...Fragment` fragment spreads refer to fragments
/// defined in the same document.
///
/// See https://spec.graphql.org/October2021/#sec-Fragment-spread-target-defined
final class KnownFragmentNamesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterFragmentSpread]

    func enter(_ spread: FragmentSpread, _ context: ValidationContext) -> VisitAction {
        if context.fragment(named: spread.name.value) == nil {
            context.report("Unknown fragment \(quoted: "\(spread.name.value)").", at: spread.name.location)
        }
        return .continue
    }
}
