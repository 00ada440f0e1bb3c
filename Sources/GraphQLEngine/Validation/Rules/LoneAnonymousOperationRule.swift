/// Lone anonymous operation
///
/// A GraphQL document is only valid if when it contains an anonymous operation (the query
/// short-hand) that it contains only that one operation definition.
///
/// See https://spec.graphql.org/October2021/#sec-Lone-Anonymous-Operation
final class LoneAnonymousOperationRule: ValidationRule {
    let hooks: ValidationHooks = [.enterDocument, .enterOperation, .enterFragmentDefinition]

    @exclusivity(unchecked) private var operationCount = 0

    func enter(_ document: Document, _ context: ValidationContext) -> VisitAction {
        self.operationCount = document.operations.count
        return .continue
    }

    func enter(_ operation: OperationDefinition, _ context: ValidationContext) -> VisitAction {
        if operation.name == nil && self.operationCount > 1 {
            context.report("This anonymous operation must be the only defined operation.", at: operation.location)
        }
        return .skipChildren
    }

    func enter(_ fragment: FragmentDefinition, _ context: ValidationContext) -> VisitAction { .skipChildren }
}
