/// Defer and stream directive labels
///
/// A `@defer` or `@stream` label names its part in the responses: it must be a static string, and
/// unique in the document across both directives.
///
/// See https://github.com/graphql/graphql-spec/pull/742 (graphql-js 17 `DeferStreamDirectiveLabelRule`)
final class DeferStreamDirectiveLabelRule: ValidationRule {
    let hooks: ValidationHooks = [.enterDocument, .enterDirective]

    @exclusivity(unchecked) private var labels: [String: Directive] = [:]

    func enter(_ document: Document, _ context: ValidationContext) -> VisitAction {
        self.labels = [:]
        return .continue
    }

    func enter(_ directive: Directive, _ context: ValidationContext) -> VisitAction {
        let name = directive.name.value
        // A schema without the directive has KnownDirectives report it, and nothing more.
        guard name == "defer" || name == "stream", context.directive != nil,
            let label = directive.arguments.first(where: { $0.name.value == "label" })
        else {
            return .continue
        }
        guard case .string(let text, _) = label.value.kind else {
            context.report("Directive \(quoted: name)'s label argument must be a static string.", at: directive.location)
            return .continue
        }
        if let first = self.labels[text] {
            context.report("Defer/Stream directive label argument must be unique.", at: [first.location, directive.location])
        } else {
            self.labels[text] = directive
        }
        return .continue
    }
}
