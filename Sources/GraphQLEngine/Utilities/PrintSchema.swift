/// Prints a schema as SDL, without the built-in scalars, directives and introspection types
/// (graphql-js `printSchema`).
public func printSchema(_ schema: GraphQLSchema, includeDirective: (GraphQLDirective) -> Bool = { _ in true }) -> String {
    let specifiedDirectives: Set<String> = ["include", "skip", "deprecated", "specifiedBy", "oneOf"]
    let directives = schema.directives.filter { !specifiedDirectives.contains($0.name) && includeDirective($0) }
    let types = schema.types.filter { $0.builtinScalar == nil && !$0.name.hasPrefix("__") }
    var parts: [String] = []
    if let definition = printSchemaDefinition(schema) { parts.append(definition) }
    parts += directives.map(printDirective)
    parts += types.map(printType)
    return parts.joined(separator: "\n\n")
}

private func printSchemaDefinition(_ schema: GraphQLSchema) -> String? {
    let commonNames =
        (schema.queryType.map { $0.name == "Query" } ?? true) && (schema.mutationType.map { $0.name == "Mutation" } ?? true)
        && (schema.subscriptionType.map { $0.name == "Subscription" } ?? true)
    if schema.description == nil && commonNames { return nil }
    var operations: [String] = []
    if let type = schema.queryType { operations.append("  query: \(type.name)") }
    if let type = schema.mutationType { operations.append("  mutation: \(type.name)") }
    if let type = schema.subscriptionType { operations.append("  subscription: \(type.name)") }
    return printDescription(schema.description) + "schema {\n" + operations.joined(separator: "\n") + "\n}"
}

func printType(_ type: GraphQLNamedType) -> String {
    let description = printDescription(type.description)
    switch type.kind {
    case .scalar:
        let url = type.specifiedByURL.map { " @specifiedBy(url: \(printString($0)))" } ?? ""
        return description + "scalar \(type.name)" + url
    case .object, .interface:
        let keyword = type.kind == .object ? "type" : "interface"
        let interfaces = type.interfaces.isEmpty ? "" : " implements " + type.interfaces.map(\.name).joined(separator: " & ")
        let fields = type.fields.enumerated().map { index, field in
            printDescription(field.description, indentation: "  ", firstInBlock: index == 0) + "  " + field.name
                + printArguments(field.arguments, indentation: "  ") + ": \(field.type)"
                + printDeprecated(field.deprecationReason)
        }
        return description + "\(keyword) \(type.name)" + interfaces + printBlock(fields)
    case .union:
        let members = type.unionMembers.isEmpty ? "" : " = " + type.unionMembers.map(\.name).joined(separator: " | ")
        return description + "union \(type.name)" + members
    case .enumeration:
        let values = type.enumValues.enumerated().map { index, value in
            printDescription(value.description, indentation: "  ", firstInBlock: index == 0) + "  " + value.name
                + printDeprecated(value.deprecationReason)
        }
        return description + "enum \(type.name)" + printBlock(values)
    case .inputObject:
        let fields = type.inputFields.enumerated().map { index, field in
            printDescription(field.description, indentation: "  ", firstInBlock: index == 0) + "  " + printInputValue(field)
        }
        return description + "input \(type.name)" + (type.isOneOf ? " @oneOf" : "") + printBlock(fields)
    }
}

private func printDirective(_ directive: GraphQLDirective) -> String {
    printDescription(directive.description) + "directive @" + directive.name + printArguments(directive.arguments)
        + (directive.isRepeatable ? " repeatable" : "") + " on "
        + directive.locations.map(\.rawValue).joined(separator: " | ")
}

private func printArguments(_ arguments: [GraphQLInputValue], indentation: String = "") -> String {
    if arguments.isEmpty { return "" }
    if arguments.allSatisfy({ $0.description == nil }) {
        return "(" + arguments.map(printInputValue).joined(separator: ", ") + ")"
    }
    let lines = arguments.enumerated().map { index, argument in
        printDescription(argument.description, indentation: "  " + indentation, firstInBlock: index == 0) + "  "
            + indentation + printInputValue(argument)
    }
    return "(\n" + lines.joined(separator: "\n") + "\n" + indentation + ")"
}

private func printInputValue(_ value: GraphQLInputValue) -> String {
    var declaration = "\(value.name): \(value.type)"
    if let literal = value.defaultValue { declaration += " = " + printDefaultValue(literal, value.type) }
    return declaration + printDeprecated(value.deprecationReason)
}

private func printDeprecated(_ reason: String?) -> String {
    guard let reason else { return "" }
    if reason == "No longer supported" { return " @deprecated" }
    return " @deprecated(reason: \(printString(reason)))"
}

private func printBlock(_ items: [String]) -> String {
    items.isEmpty ? "" : " {\n" + items.joined(separator: "\n") + "\n}"
}

private func printDescription(_ description: String?, indentation: String = "", firstInBlock: Bool = true) -> String {
    guard let description else { return "" }
    let literal = isPrintableAsBlockString(description) ? printBlockString(description) : printString(description)
    let prefix = !indentation.isEmpty && !firstInBlock ? "\n" + indentation : indentation
    return prefix + literal.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + indentation)
        + "\n"
}

/// Whether a string survives a round trip as a block string (graphql-js `isPrintableAsBlockString`).
func isPrintableAsBlockString(_ value: String) -> Bool {
    if value.isEmpty { return true }
    var isEmptyLine = true
    var hasIndent = false
    var hasCommonIndent = true
    var seenNonEmptyLine = false
    for scalar in value.unicodeScalars {
        switch scalar.value {
        case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x0D: return false
        case 0x0A:
            if isEmptyLine && !seenNonEmptyLine { return false }
            seenNonEmptyLine = true
            isEmptyLine = true
            hasIndent = false
        case 0x09, 0x20:
            hasIndent = hasIndent || isEmptyLine
        default:
            hasCommonIndent = hasCommonIndent && hasIndent
            isEmptyLine = false
        }
    }
    if isEmptyLine { return false }
    if hasCommonIndent && seenNonEmptyLine { return false }
    return true
}
