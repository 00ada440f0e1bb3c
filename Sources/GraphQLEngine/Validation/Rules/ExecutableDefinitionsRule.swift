/// Executable definitions
///
/// A GraphQL document is only valid for execution if all definitions are either operation or
/// fragment definitions.
///
/// See https://spec.graphql.org/October2021/#sec-Executable-Definitions
final class ExecutableDefinitionsRule: ValidationRule {
    let hooks: ValidationHooks = [.enterDocument]

    func enter(_ document: Document, _ context: ValidationContext) -> VisitAction {
        for definition in document.definitions where !definition.isExecutable {
            let name: String
            switch definition {
            case .type(let type): name = "\(quoted: "\(type.name.value)")"
            case .directive(let directive): name = "\(quoted: "\(directive.name.value)")"
            default: name = "schema"
            }
            context.report("The \(name) definition is not executable.", at: definition.location)
        }
        return .skipChildren
    }
}
