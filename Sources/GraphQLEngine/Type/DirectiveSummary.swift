/// What validation needs to know about a directive, computed once per schema (so rules do not
/// rebuild it for every request).
struct DirectiveSummary: Sendable {
    let locations: [DirectiveLocation]
    let isRepeatable: Bool
    let argumentNames: [String]
    /// Non-null arguments without a default, with their printed types.
    let requiredArguments: [(name: String, type: String)]

    init(_ directive: GraphQLDirective) {
        self.locations = directive.locations
        self.isRepeatable = directive.isRepeatable
        self.argumentNames = directive.arguments.map(\.name)
        self.requiredArguments = directive.arguments.filter { $0.type.isNonNull && $0.defaultValue == nil }
            .map { ($0.name, $0.type.description) }
    }

    init(_ definition: DirectiveDefinition) {
        self.locations = definition.locations.compactMap { DirectiveLocation(rawValue: $0.value) }
        self.isRepeatable = definition.isRepeatable
        self.argumentNames = definition.arguments.map(\.name.value)
        self.requiredArguments = definition.arguments.compactMap { argument in
            guard case .nonNull = argument.type, argument.defaultValue == nil else { return nil }
            return (argument.name.value, Printer.print(argument.type))
        }
    }
}

extension ValidationContext {
    /// The schema's directives, plus those the document itself defines (SDL documents).
    func directiveSummaries() -> [String: DirectiveSummary] {
        var summaries = self.schema.directiveSummaries
        for case .directive(let definition) in self.document.definitions {
            summaries[definition.name.value] = DirectiveSummary(definition)
        }
        return summaries
    }
}
