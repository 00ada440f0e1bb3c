/// Attaches resolvers to the introspection types (`__Schema`, `__Type`, ...) and the
/// `__schema`/`__type` meta-fields. Introspection objects travel through the executor as
/// `.opaque` schema objects: a `GraphQLType` is a `__Type`, a `GraphQLField` a `__Field`, ...
///
/// See https://spec.graphql.org/October2021/#sec-Schema-Introspection
func installIntrospectionResolvers(_ schema: GraphQLSchema) {
    schema.schemaMetaField.resolve = { _, _, info in .value(.opaque(info.schema)) }
    schema.typeMetaField.resolve = { _, arguments, info in
        guard case .string(let name)? = arguments["name"], let type = info.schema.type(named: name) else {
            return .value(.null)
        }
        return .value(.opaque(GraphQLType.named(type)))
    }
    let typeMap = schema.typeMap
    func install(_ typeName: String, _ resolvers: [String: FieldResolver]) {
        guard let type = typeMap[typeName] else { return }
        for (name, resolver) in resolvers { type.field(name)?.resolve = resolver }
    }

    install(
        "__Schema",
        [
            "description": { source, _, _ in .value(opaque(source, GraphQLSchema.self)?.description.map(Value.string) ?? .null) },
            "types": { source, _, _ in
                .value(.list(opaque(source, GraphQLSchema.self)?.types.map { .opaque(GraphQLType.named($0)) } ?? []))
            },
            "queryType": { source, _, _ in .value(typeValue(opaque(source, GraphQLSchema.self)?.queryType)) },
            "mutationType": { source, _, _ in .value(typeValue(opaque(source, GraphQLSchema.self)?.mutationType)) },
            "subscriptionType": { source, _, _ in .value(typeValue(opaque(source, GraphQLSchema.self)?.subscriptionType)) },
            "directives": { source, _, _ in
                .value(.list(opaque(source, GraphQLSchema.self)?.directives.map { .opaque($0) } ?? []))
            },
        ])

    install(
        "__Type",
        [
            "kind": { source, _, _ in
                guard let type = opaque(source, GraphQLType.self) else { return .value(.null) }
                switch type {
                case .named(let named): return .value(.string(named.kind.rawValue))
                case .list: return .value("LIST")
                case .nonNull: return .value("NON_NULL")
                }
            },
            "name": { source, _, _ in .value(namedOnly(source).map { .string($0.name) } ?? .null) },
            "description": { source, _, _ in .value(namedOnly(source)?.description.map(Value.string) ?? .null) },
            "specifiedByURL": { source, _, _ in .value(namedOnly(source)?.specifiedByURL.map(Value.string) ?? .null) },
            "fields": { source, arguments, _ in
                guard let type = namedOnly(source), type.kind == .object || type.kind == .interface else { return .value(.null) }
                let includeDeprecated = arguments["includeDeprecated"] == .bool(true)
                return .value(.list(type.fields.filter { includeDeprecated || $0.deprecationReason == nil }.map { .opaque($0) }))
            },
            "interfaces": { source, _, _ in
                guard let type = namedOnly(source), type.kind == .object || type.kind == .interface else { return .value(.null) }
                return .value(.list(type.interfaces.map { .opaque(GraphQLType.named($0)) }))
            },
            "possibleTypes": { source, _, info in
                guard let type = namedOnly(source), type.isAbstract else { return .value(.null) }
                return .value(.list(info.schema.possibleTypes(of: type).map { .opaque(GraphQLType.named($0)) }))
            },
            "enumValues": { source, arguments, _ in
                guard let type = namedOnly(source), type.kind == .enumeration else { return .value(.null) }
                let includeDeprecated = arguments["includeDeprecated"] == .bool(true)
                return .value(.list(type.enumValues.filter { includeDeprecated || $0.deprecationReason == nil }.map { .opaque($0) }))
            },
            "inputFields": { source, arguments, _ in
                guard let type = namedOnly(source), type.kind == .inputObject else { return .value(.null) }
                let includeDeprecated = arguments["includeDeprecated"] == .bool(true)
                return .value(.list(type.inputFields.filter { includeDeprecated || $0.deprecationReason == nil }.map { .opaque($0) }))
            },
            "ofType": { source, _, _ in
                switch opaque(source, GraphQLType.self) {
                case .list(let inner)?, .nonNull(let inner)?: return .value(.opaque(inner))
                default: return .value(.null)
                }
            },
            "isOneOf": { source, _, _ in
                guard let type = namedOnly(source), type.kind == .inputObject else { return .value(.null) }
                return .value(.bool(type.isOneOf))
            },
        ])

    install(
        "__Field",
        [
            "name": { source, _, _ in .value(opaque(source, GraphQLField.self).map { .string($0.name) } ?? .null) },
            "description": { source, _, _ in .value(opaque(source, GraphQLField.self)?.description.map(Value.string) ?? .null) },
            "args": { source, arguments, _ in
                let includeDeprecated = arguments["includeDeprecated"] == .bool(true)
                let values = opaque(source, GraphQLField.self)?.arguments ?? []
                return .value(.list(values.filter { includeDeprecated || $0.deprecationReason == nil }.map { .opaque($0) }))
            },
            "type": { source, _, _ in .value(opaque(source, GraphQLField.self).map { .opaque($0.type) } ?? .null) },
            "isDeprecated": { source, _, _ in .value(.bool(opaque(source, GraphQLField.self)?.deprecationReason != nil)) },
            "deprecationReason": { source, _, _ in
                .value(opaque(source, GraphQLField.self)?.deprecationReason.map(Value.string) ?? .null)
            },
        ])

    install(
        "__InputValue",
        [
            "name": { source, _, _ in .value(opaque(source, GraphQLInputValue.self).map { .string($0.name) } ?? .null) },
            "description": { source, _, _ in
                .value(opaque(source, GraphQLInputValue.self)?.description.map(Value.string) ?? .null)
            },
            "type": { source, _, _ in .value(opaque(source, GraphQLInputValue.self).map { .opaque($0.type) } ?? .null) },
            "defaultValue": { source, _, _ in
                guard let input = opaque(source, GraphQLInputValue.self), let literal = input.defaultValue else { return .value(.null) }
                return .value(.string(printDefaultValue(literal, input.type)))
            },
            "isDeprecated": { source, _, _ in .value(.bool(opaque(source, GraphQLInputValue.self)?.deprecationReason != nil)) },
            "deprecationReason": { source, _, _ in
                .value(opaque(source, GraphQLInputValue.self)?.deprecationReason.map(Value.string) ?? .null)
            },
        ])

    install(
        "__EnumValue",
        [
            "name": { source, _, _ in .value(opaque(source, GraphQLEnumValue.self).map { .string($0.name) } ?? .null) },
            "description": { source, _, _ in
                .value(opaque(source, GraphQLEnumValue.self)?.description.map(Value.string) ?? .null)
            },
            "isDeprecated": { source, _, _ in .value(.bool(opaque(source, GraphQLEnumValue.self)?.deprecationReason != nil)) },
            "deprecationReason": { source, _, _ in
                .value(opaque(source, GraphQLEnumValue.self)?.deprecationReason.map(Value.string) ?? .null)
            },
        ])

    install(
        "__Directive",
        [
            "name": { source, _, _ in .value(opaque(source, GraphQLDirective.self).map { .string($0.name) } ?? .null) },
            "description": { source, _, _ in
                .value(opaque(source, GraphQLDirective.self)?.description.map(Value.string) ?? .null)
            },
            "isRepeatable": { source, _, _ in .value(.bool(opaque(source, GraphQLDirective.self)?.isRepeatable ?? false)) },
            "locations": { source, _, _ in
                .value(.list(opaque(source, GraphQLDirective.self)?.locations.map { .string($0.rawValue) } ?? []))
            },
            "args": { source, arguments, _ in
                let includeDeprecated = arguments["includeDeprecated"] == .bool(true)
                let values = opaque(source, GraphQLDirective.self)?.arguments ?? []
                return .value(.list(values.filter { includeDeprecated || $0.deprecationReason == nil }.map { .opaque($0) }))
            },
        ])
}

@inline(__always)
private func opaque<T>(_ value: Value, _: T.Type) -> T? {
    if case .opaque(let object) = value { return object as? T }
    return nil
}

private func namedOnly(_ value: Value) -> GraphQLNamedType? {
    if case .named(let type)? = opaque(value, GraphQLType.self) { return type }
    return nil
}

private func typeValue(_ type: GraphQLNamedType?) -> Value {
    type.map { .opaque(GraphQLType.named($0)) } ?? .null
}

/// A default value as introspection prints it: the coerced value turned back into a literal
/// (graphql-js `print(astFromValue(defaultValue, type))`).
func printDefaultValue(_ literal: ValueNode, _ type: GraphQLType) -> String {
    guard let value = valueFromAST(literal, type, nil) else { return Printer.print(literal) }
    return printLiteral(value, type) ?? Printer.print(literal)
}

/// graphql-js `astFromValue`, printed.
func printLiteral(_ value: Value, _ type: GraphQLType) -> String? {
    switch type {
    case .nonNull(let inner):
        if value.isNull { return nil }
        return printLiteral(value, inner)
    case .list(let itemType):
        if value.isNull { return "null" }
        if case .list(let items) = value {
            return "[" + items.compactMap { printLiteral($0, itemType) }.joined(separator: ", ") + "]"
        }
        return printLiteral(value, itemType)
    case .named(let named):
        if value.isNull { return "null" }
        switch named.kind {
        case .inputObject:
            guard case .object(let fields) = value else { return nil }
            let printed = named.inputFields.compactMap { field -> String? in
                guard let fieldValue = fields[field.name], let literal = printLiteral(fieldValue, field.type) else { return nil }
                return "\(field.name): \(literal)"
            }
            return "{" + printed.joined(separator: ", ") + "}"
        case .enumeration:
            return value.stringValue
        default:
            let serialized = named.builtinScalar.flatMap { try? ScalarCoercion.serialize($0, value) } ?? value
            switch serialized {
            case .bool(let bool): return bool ? "true" : "false"
            case .int(let int): return String(int)
            case .float(let double): return formatNumber(double)
            case .string(let string):
                if named.builtinScalar == .id, Int(string) != nil { return string }
                return printString(string)
            case .list(let items): return "[" + items.compactMap { printLiteral($0, .named(named)) }.joined(separator: ", ") + "]"
            case .object(let fields):
                return "{" + fields.keys.sorted().compactMap { key in printLiteral(fields[key]!, .named(named)).map { "\(key): \($0)" } }.joined(separator: ", ") + "}"
            default: return nil
            }
        }
    }
}
