/// Defer directive on root field
///
/// `@defer` cannot defer root fields of a mutation (they run one after another, each to
/// completion) or of a subscription (each event is one response).
///
/// See https://github.com/graphql/graphql-spec/pull/742 (graphql-js 17 `DeferStreamDirectiveOnRootFieldRule`)
final class DeferDirectiveOnRootFieldRule: ValidationRule {
    func enter(_ directive: Directive, _ context: ValidationContext) -> VisitAction {
        guard directive.name.value == "defer", let parent = context.parentType else { return .continue }
        if parent === context.schema.mutationType {
            context.report("Defer directive cannot be used on root mutation type \(quoted: "\(parent.name)").", at: directive.location)
        } else if parent === context.schema.subscriptionType {
            context.report("Defer directive cannot be used on root subscription type \(quoted: "\(parent.name)").", at: directive.location)
        }
        return .continue
    }
}
