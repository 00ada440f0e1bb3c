/// Known type names
///
/// A GraphQL document is only valid if referenced types (specifically variable definitions and
/// fragment conditions) are defined by the type schema.
///
/// See https://spec.graphql.org/October2021/#sec-Fragment-Spread-Type-Existence
final class KnownTypeNamesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterDocument, .enterNamedType]

    @exclusivity(unchecked) private var definedTypes = Set<String>()
    private static let standardTypeNames: Set<String> = [
        "String", "Int", "Float", "Boolean", "ID", "__Schema", "__Directive", "__DirectiveLocation", "__Type", "__Field",
        "__InputValue", "__EnumValue", "__TypeKind",
    ]

    func enter(_ document: Document, _ context: ValidationContext) -> VisitAction {
        for case .type(let type) in document.definitions where !type.isExtension {
            self.definedTypes.insert(type.name.value)
        }
        return .continue
    }

    func enter(namedType: Name, _ context: ValidationContext) {
        let name = namedType.value
        if context.schema.type(named: name) != nil || self.definedTypes.contains(name) { return }
        let inTypeSystem = !context.document.definitions[context.currentDefinition].isExecutable
        if inTypeSystem && Self.standardTypeNames.contains(name) { return }
        var candidates = Array(context.schema.typeMap.keys) + Array(self.definedTypes)
        if inTypeSystem { candidates += Self.standardTypeNames }
        context.report("Unknown type \(quoted: "\(name)").\(didYouMean(suggestionList(name, Set(candidates))))", at: namedType.location)
    }
}
