/// Known directives
///
/// A GraphQL document is only valid if all `@directives` are known by the schema and legally
/// positioned.
///
/// See https://spec.graphql.org/October2021/#sec-Directives-Are-Defined
final class KnownDirectivesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterDocument, .enterDirective]

    @exclusivity(unchecked) private var directives: [String: DirectiveSummary] = [:]

    func enter(_ document: Document, _ context: ValidationContext) -> VisitAction {
        self.directives = context.directiveSummaries()
        return .continue
    }

    func enter(_ directive: Directive, _ context: ValidationContext) -> VisitAction {
        let name = directive.name.value
        guard let allowed = self.directives[name]?.locations else {
            context.report("Unknown directive \(quoted: "@\(name)").", at: directive.location)
            return .continue
        }
        if let location = context.directiveLocation, !allowed.contains(location) {
            context.report("Directive \(quoted: "@\(name)") may not be used on \(MessageStyle.current.name(of: location)).", at: directive.location)
        }
        return .continue
    }
}
