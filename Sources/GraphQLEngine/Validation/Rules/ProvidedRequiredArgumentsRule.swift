/// Provided required arguments
///
/// A field or directive is only valid if all required (non-null without a default value)
/// field arguments have been provided.
///
/// See https://spec.graphql.org/October2021/#sec-Required-Arguments
final class ProvidedRequiredArgumentsRule: ValidationRule {
    private var directiveArguments: [String: [(name: String, type: String, required: Bool)]] = [:]

    func enter(_ document: Document, _ context: ValidationContext) -> VisitAction {
        for directive in context.schema.directives {
            self.directiveArguments[directive.name] = directive.arguments.map {
                ($0.name, $0.type.description, $0.type.isNonNull && $0.defaultValue == nil)
            }
        }
        for case .directive(let definition) in document.definitions {
            self.directiveArguments[definition.name.value] = definition.arguments.map {
                let isNonNull: Bool
                if case .nonNull = $0.type { isNonNull = true } else { isNonNull = false }
                return ($0.name.value, Printer.print($0.type), isNonNull && $0.defaultValue == nil)
            }
        }
        return .continue
    }

    func leave(_ field: Field, _ context: ValidationContext) {
        guard let definition = context.fieldDefinition else { return }
        for argument in definition.arguments
        where argument.type.isNonNull && argument.defaultValue == nil
            && !field.arguments.contains(where: { $0.name.value == argument.name })
        {
            context.report(
                "Field \"\(definition.name)\" argument \"\(argument.name)\" of type \"\(argument.type)\" is required, but it was not provided.",
                at: field.location)
        }
    }

    func leave(_ directive: Directive, _ context: ValidationContext) {
        guard let arguments = self.directiveArguments[directive.name.value] else { return }
        for argument in arguments
        where argument.required && !directive.arguments.contains(where: { $0.name.value == argument.name }) {
            context.report(
                "Directive \"@\(directive.name.value)\" argument \"\(argument.name)\" of type \"\(argument.type)\" is required, but it was not provided.",
                at: directive.location)
        }
    }
}
