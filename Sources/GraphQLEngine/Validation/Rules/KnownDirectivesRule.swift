/// Known directives
///
/// A GraphQL document is only valid if all `@directives` are known by the schema and legally
/// positioned.
///
/// See https://spec.graphql.org/October2021/#sec-Directives-Are-Defined
final class KnownDirectivesRule: ValidationRule {
    private var locations: [String: [DirectiveLocation]] = [:]

    func enter(_ document: Document, _ context: ValidationContext) -> VisitAction {
        for directive in context.schema.directives { self.locations[directive.name] = directive.locations }
        for case .directive(let definition) in document.definitions {
            self.locations[definition.name.value] = definition.locations.compactMap { DirectiveLocation(rawValue: $0.value) }
        }
        return .continue
    }

    func enter(_ directive: Directive, _ context: ValidationContext) -> VisitAction {
        let name = directive.name.value
        guard let allowed = self.locations[name] else {
            context.report("Unknown directive \"@\(name)\".", at: directive.location)
            return .continue
        }
        if let location = context.directiveLocation, !allowed.contains(location) {
            context.report("Directive \"@\(name)\" may not be used on \(location.rawValue).", at: directive.location)
        }
        return .continue
    }
}
