/// Defer and stream directives on root fields
///
/// `@defer` and `@stream` cannot split a mutation's root fields (they run one after another, each
/// to completion) or a subscription's (each event is one response).
///
/// See https://github.com/graphql/graphql-spec/pull/742 (graphql-js 17 `DeferStreamDirectiveOnRootFieldRule`)
final class DeferStreamDirectiveOnRootFieldRule: ValidationRule {
    let hooks: ValidationHooks = [.enterDirective]

    func enter(_ directive: Directive, _ context: ValidationContext) -> VisitAction {
        let name = directive.name.value
        // A schema without the directive has KnownDirectives report it, and nothing more.
        guard name == "defer" || name == "stream", context.directive != nil, let parent = context.parentType else { return .continue }
        let kind = name == "defer" ? "Defer" : "Stream"
        if parent === context.schema.mutationType {
            context.report("\(kind) directive cannot be used on root mutation type \(quoted: "\(parent.name)").", at: directive.location)
        } else if parent === context.schema.subscriptionType {
            context.report("\(kind) directive cannot be used on root subscription type \(quoted: "\(parent.name)").", at: directive.location)
        }
        return .continue
    }
}
