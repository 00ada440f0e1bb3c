/// Produces the runtime value of a literal for an input type (graphql-js `valueFromAST`).
///
/// Returns `nil` when the literal is invalid for the type. A variable missing from `variables`
/// is "no value" (`nil`), except as a nullable list item or input field, where it is omitted.
///
/// See https://spec.graphql.org/October2021/#sec-Input-Values
func valueFromAST(_ node: ValueNode, _ type: GraphQLType, _ variables: [String: Value]?) -> Value? {
    if case .variable(let name) = node.kind {
        guard let value = variables?[name.value] else { return nil }
        if value.isNull && type.isNonNull { return nil }
        return value
    }
    switch type {
    case .nonNull(let inner):
        if node.isNull { return nil }
        return valueFromAST(node, inner, variables)
    case .list(let itemType):
        if node.isNull { return .null }
        if case .list(let items) = node.kind {
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items {
                if isMissingVariable(item, variables) {
                    if itemType.isNonNull { return nil }
                    values.append(.null)
                    continue
                }
                guard let value = valueFromAST(item, itemType, variables) else { return nil }
                values.append(value)
            }
            return .list(values)
        }
        guard let value = valueFromAST(node, itemType, variables) else { return nil }
        return .list([value])
    case .named(let named):
        if node.isNull { return .null }
        switch named.kind {
        case .inputObject:
            guard case .object(let fieldNodes) = node.kind else { return nil }
            var byName: [String: ValueNode] = [:]
            for field in fieldNodes { byName[field.name.value] = field.value }
            var result: [String: Value] = [:]
            for field in named.inputFields {
                guard let fieldNode = byName[field.name], !isMissingVariable(fieldNode, variables) else {
                    if let defaultValue = field.defaultValue {
                        guard let value = valueFromAST(defaultValue, field.type, nil) else { return nil }
                        result[field.name] = value
                    } else if field.type.isNonNull {
                        return nil
                    }
                    continue
                }
                guard let value = valueFromAST(fieldNode, field.type, variables) else { return nil }
                result[field.name] = value
            }
            if named.isOneOf {
                guard result.count == 1, let only = result.values.first, !only.isNull else { return nil }
            }
            for field in fieldNodes where named.inputField(field.name.value) == nil { return nil }
            return .object(result)
        case .enumeration:
            guard case .enumValue(let name) = node.kind, named.enumValue(name) != nil else { return nil }
            return .string(name)
        case .scalar:
            if let builtin = named.builtinScalar {
                return try? ScalarCoercion.parseLiteral(builtin, node)
            }
            return valueFromUntypedAST(node, variables)
        default:
            return nil
        }
    }
}

private func isMissingVariable(_ node: ValueNode, _ variables: [String: Value]?) -> Bool {
    if case .variable(let name) = node.kind { return variables?[name.value] == nil }
    return false
}

/// A literal as a plain value, for custom scalars (graphql-js `valueFromASTUntyped`).
func valueFromUntypedAST(_ node: ValueNode, _ variables: [String: Value]?) -> Value? {
    switch node.kind {
    case .null: return .null
    case .int(let text): return Int(text).map(Value.int) ?? Double(text).map(Value.float)
    case .float(let text): return Double(text).map(Value.float)
    case .string(let string, _): return .string(string)
    case .boolean(let bool): return .bool(bool)
    case .enumValue(let name): return .string(name)
    case .list(let items): return .list(items.map { valueFromUntypedAST($0, variables) ?? .null })
    case .object(let fields):
        var result: [String: Value] = [:]
        for field in fields { result[field.name.value] = valueFromUntypedAST(field.value, variables) ?? .null }
        return .object(result)
    case .variable(let name): return variables?[name.value]
    }
}
