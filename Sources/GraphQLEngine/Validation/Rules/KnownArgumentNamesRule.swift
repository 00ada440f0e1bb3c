/// Known argument names
///
/// A GraphQL field is only valid if all supplied arguments are defined by that field; likewise
/// for directives.
///
/// See https://spec.graphql.org/October2021/#sec-Argument-Names
final class KnownArgumentNamesRule: ValidationRule {
    private var directiveArguments: [String: [String]] = [:]

    func enter(_ document: Document, _ context: ValidationContext) -> VisitAction {
        for directive in context.schema.directives { self.directiveArguments[directive.name] = directive.arguments.map(\.name) }
        for case .directive(let definition) in document.definitions {
            self.directiveArguments[definition.name.value] = definition.arguments.map(\.name.value)
        }
        return .continue
    }

    func enter(_ argument: Argument, _ context: ValidationContext) -> VisitAction {
        if context.argument == nil, let field = context.fieldDefinition, let parentType = context.parentType {
            context.report(
                "Unknown argument \"\(argument.name.value)\" on field \"\(parentType.name).\(field.name)\".",
                at: argument.location)
        }
        return .continue
    }

    /// Directive arguments are checked here; their children are skipped so the field check
    /// above does not see them.
    func enter(_ directive: Directive, _ context: ValidationContext) -> VisitAction {
        let name = directive.name.value
        if let known = self.directiveArguments[name] {
            for argument in directive.arguments where !known.contains(argument.name.value) {
                context.report(
                    "Unknown argument \"\(argument.name.value)\" on directive \"@\(name)\".", at: argument.location)
            }
        }
        return .skipChildren
    }
}
