/// Known argument names
///
/// A GraphQL field is only valid if all supplied arguments are defined by that field; likewise
/// for directives.
///
/// See https://spec.graphql.org/October2021/#sec-Argument-Names
final class KnownArgumentNamesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterDocument, .enterArgument, .enterDirective]

    @exclusivity(unchecked) private var directives: [String: DirectiveSummary] = [:]

    func enter(_ document: Document, _ context: ValidationContext) -> VisitAction {
        self.directives = context.directiveSummaries()
        return .continue
    }

    func enter(_ argument: Argument, _ context: ValidationContext) -> VisitAction {
        if context.argument == nil, let field = context.fieldDefinition, let parentType = context.parentType {
            let suggestions = suggestionList(argument.name.value, field.arguments.map(\.name))
            context.report(
                "Unknown argument \(quoted: "\(argument.name.value)") on field \(quoted: "\(parentType.name).\(field.name)").\(didYouMean(suggestions))",
                at: argument.location)
        }
        return .continue
    }

    /// Directive arguments are checked here; their children are skipped so the field check
    /// above does not see them.
    func enter(_ directive: Directive, _ context: ValidationContext) -> VisitAction {
        let name = directive.name.value
        if let known = self.directives[name]?.argumentNames {
            for argument in directive.arguments where !known.contains(argument.name.value) {
                let suggestions = suggestionList(argument.name.value, known)
                context.report(
                    "Unknown argument \(quoted: "\(argument.name.value)") on directive \(quoted: "@\(name)").\(didYouMean(suggestions))", at: argument.location)
            }
        }
        return .skipChildren
    }
}
