/// Coerces an external (JSON) input value to an input type (graphql-js `coerceInputValue`).
///
/// Every problem is reported through `onError` with the path inside the value, the invalid
/// part and a message; the return value is meaningful only when nothing was reported.
func coerceInputValue(
    _ value: Value, _ type: GraphQLType, path: [PathComponent] = [],
    onError: (_ path: [PathComponent], _ invalid: Value, _ message: String) -> Void
) -> Value {
    switch type {
    case .nonNull(let inner):
        if !value.isNull { return coerceInputValue(value, inner, path: path, onError: onError) }
        onError(path, value, "Expected non-nullable type \(quoted: "\(type)") not to be \(MessageStyle.current.null).")
        return .null
    case .list(let itemType):
        if value.isNull { return .null }
        if case .list(let items) = value {
            return .list(
                items.enumerated().map { index, item in
                    coerceInputValue(item, itemType, path: path + [.index(index)], onError: onError)
                })
        }
        return .list([coerceInputValue(value, itemType, path: path, onError: onError)])
    case .named(let named):
        if value.isNull { return .null }
        switch named.kind {
        case .inputObject:
            guard case .object(let fields) = value else {
                onError(path, value, "Expected type \(quoted: "\(named.name)") to be an object.")
                return .null
            }
            var result: [String: Value] = [:]
            for field in named.inputFields {
                guard let fieldValue = fields[field.name] else {
                    if let defaultValue = field.defaultValue {
                        result[field.name] = valueFromAST(defaultValue, field.type, nil) ?? .null
                    } else if field.type.isNonNull {
                        onError(path, value, "Field \(quoted: "\(field.name)") of required type \(quoted: "\(field.type)") was not provided.")
                    }
                    continue
                }
                result[field.name] = coerceInputValue(fieldValue, field.type, path: path + [.key(field.name)], onError: onError)
            }
            for key in fields.keys.sorted() where named.inputField(key) == nil {
                let suggestions = suggestionList(key, named.inputFields.map(\.name))
                onError(path, value, "Field \(quoted: "\(key)") is not defined by type \(quoted: "\(named.name)").\(didYouMean(suggestions))")
            }
            if named.isOneOf {
                if fields.count != 1 {
                    onError(path, value, "Exactly one key must be specified for OneOf type \(quoted: "\(named.name)").")
                } else if let (key, only) = fields.first, only.isNull {
                    onError(path + [.key(key)], only, "Field \(quoted: "\(key)") must be non-null.")
                }
            }
            return .object(result)
        case .enumeration:
            guard case .string(let name) = value else {
                onError(path, value, "Enum \(quoted: "\(named.name)") cannot represent non-string value: \(inspect(value)).")
                return .null
            }
            guard named.enumValue(name) != nil else {
                let suggestions = suggestionList(name, named.enumValues.map(\.name))
                onError(path, value, "Value \(quoted: "\(name)") does not exist in \(quoted: "\(named.name)") enum.\(didYouMean(suggestions, after: "the enum value"))")
                return .null
            }
            return value
        case .scalar:
            guard let builtin = named.builtinScalar else { return value }
            do {
                return try ScalarCoercion.parseValue(builtin, value)
            } catch {
                onError(path, value, error.message)
                return .null
            }
        default:
            return .null
        }
    }
}
