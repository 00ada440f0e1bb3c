/// Attaches resolvers to the introspection types (`__Schema`, `__Type`, ...) and the
/// `__schema`/`__type` meta-fields. `__Type`, `__Field`, `__InputValue`, `__EnumValue` and
/// `__Directive` objects are the schema's `IntrospectionValues`, made here once: their plain fields
/// are properties, and only fields with arguments or leading back into the type graph resolve. The
/// `__Schema` object is the schema itself (a host may hide directives after the build).
///
/// See https://spec.graphql.org/October2021/#sec-Schema-Introspection
func installIntrospectionResolvers(_ schema: GraphQLSchema) {
    let values = IntrospectionValues(schema)
    schema.schemaMetaField.resolve = { _, _, info in .value(.opaque(info.schema)) }
    schema.typeMetaField.resolve = { _, arguments, info in
        guard case .string(let name)? = arguments["name"], info.schema.type(named: name) != nil else { return .value(.null) }
        return .value(values.namedTypes[name] ?? .null)
    }
    // Each resolver is set on its field directly: kept in a dictionary or array first, a closure is
    // stored at its most general abstraction, and every call went through two conversion thunks
    // (~10% of an introspection query's execution).
    func install(_ typeName: String, _ fieldName: String, _ resolver: @escaping FieldResolver) {
        schema.type(named: typeName)?.field(fieldName)?.resolve = resolver
    }

    install("__Schema", "description") { source, _, _ in .value(schemaOf(source)?.description.map(Value.string) ?? .null) }
    install("__Schema", "types") { _, _, _ in .value(values.types) }
    install("__Schema", "queryType") { source, _, _ in .value(values.namedType(schemaOf(source)?.queryType)) }
    install("__Schema", "mutationType") { source, _, _ in .value(values.namedType(schemaOf(source)?.mutationType)) }
    install("__Schema", "subscriptionType") { source, _, _ in .value(values.namedType(schemaOf(source)?.subscriptionType)) }
    install("__Schema", "directives") { source, _, _ in
        .value(.list(schemaOf(source)?.directives.compactMap { values.directives[$0.name] } ?? []))
    }
    install("__Type", "fields") { source, arguments, _ in
        guard let lists = values.lists(of: source) else { return .value(.null) }
        return .value(values.includesDeprecated(arguments) ? lists.fields.all : lists.fields.active)
    }
    install("__Type", "interfaces") { source, _, _ in .value(values.lists(of: source)?.interfaces ?? .null) }
    install("__Type", "possibleTypes") { source, _, _ in .value(values.lists(of: source)?.possibleTypes ?? .null) }
    install("__Type", "enumValues") { source, arguments, _ in
        guard let lists = values.lists(of: source) else { return .value(.null) }
        return .value(values.includesDeprecated(arguments) ? lists.enumValues.all : lists.enumValues.active)
    }
    install("__Type", "inputFields") { source, arguments, _ in
        guard let lists = values.lists(of: source) else { return .value(.null) }
        return .value(values.includesDeprecated(arguments) ? lists.inputFields.all : lists.inputFields.active)
    }
    install("__Field", "args") { source, arguments, _ in .value(values.arguments(of: source, arguments)) }
    install("__Directive", "args") { source, arguments, _ in .value(values.arguments(of: source, arguments)) }
}

private func schemaOf(_ value: Value) -> GraphQLSchema? {
    if case .opaque(let object) = value { return object as? GraphQLSchema }
    return nil
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
