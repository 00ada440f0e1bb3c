/// Coercion of variable values and field arguments.
///
/// See https://spec.graphql.org/October2021/#sec-Coercing-Variable-Values and
/// https://spec.graphql.org/October2021/#sec-Coercing-Field-Arguments
enum Values {
    /// CoerceVariableValues: the operation's variables from the request's JSON inputs, or the
    /// request errors that stop execution.
    static func coerceVariables(
        _ schema: GraphQLSchema, _ definitions: [VariableDefinition], _ inputs: [String: Value], source: Source?
    ) -> Result<[String: Value], RequestErrors> {
        // Room for every variable at once; each definition read in place in the array (a copy of
        // the struct retained each of its fields, per variable per request).
        var coerced = [String: Value](minimumCapacity: definitions.count)
        var errors: [GraphQLError] = []
        func fail(_ message: String, _ offset: Int) {
            let locations = source.map { [$0.location(of: offset)] } ?? []
            errors.append(GraphQLError(message, locations: locations))
        }
        for index in definitions.indices {
            let name = definitions[index].variable.value
            let offset = definitions[index].location.start
            guard let type = typeFromAST(schema, definitions[index].type), type.isInputType else {
                fail(
                    "Variable \(quoted: "$\(name)") expected value of type \(quoted: "\(Printer.print(definitions[index].type))") which cannot be used as an input type.",
                    offset)
                continue
            }
            guard let value = inputs[name] else {
                if let defaultValue = definitions[index].defaultValue {
                    coerced[name] = valueFromAST(defaultValue, type, nil)
                } else if type.isNonNull {
                    fail("Variable \(quoted: "$\(name)") of required type \(quoted: "\(type)") was not provided.", offset)
                }
                continue
            }
            if value.isNull && type.isNonNull {
                fail("Variable \(quoted: "$\(name)") of non-null type \(quoted: "\(type)") must not be null.", offset)
                continue
            }
            coerced[name] = coerceInputValue(value, type) { path, invalid, message in
                let at = path.isEmpty ? "" : " at \(quoted: "\(name)\(describePath(path))")"
                fail("Variable \(quoted: "$\(name)") got invalid value \(inspect(invalid))\(at); \(message)", offset)
            }
        }
        return errors.isEmpty ? .success(coerced) : .failure(RequestErrors(errors: errors))
    }

    /// CoerceArgumentValues for a field or directive's arguments as written at one place.
    static func coerceArguments(
        _ definitions: [GraphQLInputValue], _ nodes: [Argument], _ variables: [String: Value]
    ) -> Result<[String: Value], GraphQLError> {
        // A field without arguments (most of them; each plan coerces every field's once).
        if definitions.isEmpty { return .success([:]) }
        // Room for every argument at once (growing one insertion at a time re-hashed each time).
        var coerced = [String: Value](minimumCapacity: definitions.count)
        for definition in definitions {
            let name = definition.name
            let type = definition.type
            guard let node = nodes.first(where: { $0.name.value == name }) else {
                if let defaultValue = definition.defaultValue {
                    coerced[name] = valueFromAST(defaultValue, type, nil) ?? .null
                } else if type.isNonNull {
                    return .failure(GraphQLError("Argument \(quoted: "\(name)") of required type \(quoted: "\(type)") was not provided."))
                }
                continue
            }
            var isNull = node.value.isNull
            if case .variable(let variable) = node.value.kind {
                guard let value = variables[variable.value] else {
                    if let defaultValue = definition.defaultValue {
                        coerced[name] = valueFromAST(defaultValue, type, nil) ?? .null
                    } else if type.isNonNull {
                        return .failure(
                            GraphQLError(
                                "Argument \(quoted: "\(name)") of required type \(quoted: "\(type)") was provided the variable \(quoted: "$\(variable.value)") which was not provided a runtime value."
                            ))
                    }
                    continue
                }
                isNull = value.isNull
            }
            if isNull && type.isNonNull {
                return .failure(GraphQLError("Argument \(quoted: "\(name)") of non-null type \(quoted: "\(type)") must not be null."))
            }
            guard let value = valueFromAST(node.value, type, variables) else {
                return .failure(GraphQLError("Argument \(quoted: "\(name)") has invalid value \(Printer.print(node.value))."))
            }
            coerced[name] = value
        }
        return .success(coerced)
    }
}

/// The schema type a type reference names, or `nil` if it names no type.
func typeFromAST(_ schema: GraphQLSchema, _ reference: TypeReference) -> GraphQLType? {
    switch reference {
    case .named(let name): schema.type(named: name.value).map { .named($0) }
    case .list(let inner, _): typeFromAST(schema, inner).map { .list($0) }
    case .nonNull(let inner, _): typeFromAST(schema, inner).map { .nonNull($0) }
    }
}

extension ExecutionState {
    /// The group's coerced arguments (coerced once per execution).
    @inline(__always)
    func arguments(for group: FieldGroup) -> Result<[String: Value], GraphQLError> {
        if let constant = group.constantArguments { return constant }
        let id = Int(group.id)
        if id < self.argumentSlots.count, self.argumentSlots[id] >= 0 { return self.coercedArguments[Int(self.argumentSlots[id])] }
        let arguments = Values.coerceArguments(group.definition.arguments, group.firstField.arguments, self.variables)
        if id >= self.argumentSlots.count {
            self.argumentSlots.append(contentsOf: repeatElement(-1, count: max(id + 1, self.groupCount) - self.argumentSlots.count))
        }
        self.argumentSlots[id] = Int32(truncatingIfNeeded: self.coercedArguments.count)
        self.coercedArguments.append(arguments)
        return arguments
    }
}

/// Errors that stop a request before execution starts.
struct RequestErrors: Error {
    let errors: [GraphQLError]
}

/// A path inside an input value as graphql-js prints it: `.field[0]`.
private func describePath(_ path: [PathComponent]) -> String {
    path.map { component in
        switch component {
        case .key(let key): ".\(key)"
        case .index(let index): "[\(index)]"
        }
    }.joined()
}
