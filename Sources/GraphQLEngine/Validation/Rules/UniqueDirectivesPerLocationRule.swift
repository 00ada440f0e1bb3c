/// Unique directive names per location
///
/// A GraphQL document is only valid if all non-repeatable directives at a given location are
/// uniquely named.
///
/// See https://spec.graphql.org/October2021/#sec-Directives-Are-Unique-Per-Location
final class UniqueDirectivesPerLocationRule: ValidationRule {
    let hooks: ValidationHooks = [.enterDocument, .enterDirectives]

    @exclusivity(unchecked) private var directives: [String: DirectiveSummary] = [:]

    func enter(_ document: Document, _ context: ValidationContext) -> VisitAction {
        self.directives = context.directiveSummaries()
        return .continue
    }

    func enter(directives: [Directive], _ context: ValidationContext) {
        guard directives.count > 1 else { return }
        var seen: [String: Directive] = [:]
        for directive in directives where self.directives[directive.name.value]?.isRepeatable == false {
            let name = directive.name.value
            if let first = seen[name] {
                context.report(
                    "The directive \(quoted: "@\(name)") can only be used once at this location.",
                    at: [first.location, directive.location])
            } else {
                seen[name] = directive
            }
        }
    }
}
