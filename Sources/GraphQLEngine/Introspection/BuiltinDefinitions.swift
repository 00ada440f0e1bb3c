/// The parsed built-in SDL, shared by every schema build.
struct BuiltinDefinitions: Sendable {
    let types: [TypeDefinition]
    let typeNames: [String: TypeDefinition]
    let directives: [DirectiveDefinition]

    static let shared: BuiltinDefinitions = {
        // The built-in SDL is a constant of this module; failing to parse it is a programming error.
        let document = try! Parser.parse(Source(builtinSDL, name: "builtin.graphql"))
        var types: [TypeDefinition] = []
        var directives: [DirectiveDefinition] = []
        for definition in document.definitions {
            switch definition {
            case .type(let type): types.append(type)
            case .directive(let directive): directives.append(directive)
            default: break
            }
        }
        return BuiltinDefinitions(
            types: types, typeNames: Dictionary(uniqueKeysWithValues: types.map { ($0.name.value, $0) }),
            directives: directives)
    }()
}
