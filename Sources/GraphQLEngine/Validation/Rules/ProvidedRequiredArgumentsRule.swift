/// Provided required arguments
///
/// A field or directive is only valid if all required (non-null without a default value)
/// field arguments have been provided.
///
/// See https://spec.graphql.org/October2021/#sec-Required-Arguments
final class ProvidedRequiredArgumentsRule: ValidationRule {
    let hooks: ValidationHooks = [.enterDocument, .leaveFieldWithArguments, .leaveDirective]

    @exclusivity(unchecked) private var directives: [String: DirectiveSummary] = [:]

    func enter(_ document: Document, _ context: ValidationContext) -> VisitAction {
        self.directives = context.directiveSummaries()
        return .continue
    }

    func leave(_ field: Field, _ context: ValidationContext) {
        guard let definition = context.fieldDefinition else { return }
        for argument in definition.arguments
        where argument.type.isNonNull && argument.defaultValue == nil
            && !field.arguments.contains(where: { $0.name.value == argument.name })
        {
            context.report(
                "Field \(quoted: "\(definition.name)") argument \(quoted: "\(argument.name)") of type \(quoted: "\(argument.type)") is required, but it was not provided.",
                at: field.location)
        }
    }

    func leave(_ directive: Directive, _ context: ValidationContext) {
        guard let arguments = self.directives[directive.name.value]?.requiredArguments else { return }
        for argument in arguments where !directive.arguments.contains(where: { $0.name.value == argument.name }) {
            context.report(
                "Directive \(quoted: "@\(directive.name.value)") argument \(quoted: "\(argument.name)") of type \(quoted: "\(argument.type)") is required, but it was not provided.",
                at: directive.location)
        }
    }
}
