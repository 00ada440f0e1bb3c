import Foundation

/// Prints an AST back to GraphQL text, as graphql-js `print` does, so `parse(print(doc))`
/// gives the same document.
public enum Printer {
    private static let maxLineLength = 80

    /// The whole document, definitions separated by a blank line.
    public static func print(_ document: Document) -> String {
        join(document.definitions.map(print), "\n\n")
    }

    public static func print(_ definition: Definition) -> String {
        switch definition {
        case .operation(let node): print(node)
        case .fragment(let node): print(node)
        case .schema(let node): print(node)
        case .type(let node): print(node)
        case .directive(let node): print(node)
        }
    }

    public static func print(_ node: OperationDefinition) -> String {
        let variables = wrap("(", join(node.variableDefinitions.map(print), ", "), ")")
        let prefix = join(
            [node.operation.rawValue, join([node.name?.value ?? "", variables], ""), directives(node.directives)], " ")
        return (prefix == "query" ? "" : prefix + " ") + print(node.selectionSet)
    }

    public static func print(_ node: VariableDefinition) -> String {
        "$" + node.variable.value + ": " + print(node.type) + wrap(" = ", node.defaultValue.map(print) ?? "")
            + wrap(" ", directives(node.directives))
    }

    public static func print(_ node: FragmentDefinition) -> String {
        "fragment \(node.name.value) on \(node.typeCondition.value) " + wrap("", directives(node.directives), " ")
            + print(node.selectionSet)
    }

    public static func print(_ node: SelectionSet) -> String {
        block(node.selections.map(print))
    }

    public static func print(_ selection: Selection) -> String {
        switch selection {
        case .field(let node):
            let prefix = wrap("", node.alias?.value ?? "", ": ") + node.name.value
            let arguments = node.arguments.map(print)
            var argumentsLine = prefix + wrap("(", join(arguments, ", "), ")")
            if argumentsLine.count > maxLineLength {
                argumentsLine = prefix + wrap("(\n", indent(join(arguments, "\n")), "\n)")
            }
            return join([argumentsLine, directives(node.directives), node.selectionSet.map(print) ?? ""], " ")
        case .fragmentSpread(let node):
            return "..." + node.name.value + wrap(" ", directives(node.directives))
        case .inlineFragment(let node):
            return join(
                ["...", wrap("on ", node.typeCondition?.value ?? ""), directives(node.directives), print(node.selectionSet)],
                " ")
        }
    }

    public static func print(_ node: Argument) -> String { node.name.value + ": " + print(node.value) }

    public static func print(_ node: Directive) -> String {
        "@" + node.name.value + wrap("(", join(node.arguments.map(print), ", "), ")")
    }

    /// A value literal.
    public static func print(_ node: ValueNode) -> String {
        switch node.kind {
        case .variable(let name): "$" + name.value
        case .int(let text), .float(let text): text
        case .string(let value, let block): block ? printBlockString(value) : printString(value)
        case .boolean(let value): value ? "true" : "false"
        case .null: "null"
        case .enumValue(let name): name
        case .list(let items): "[" + join(items.map(print), ", ") + "]"
        case .object(let fields): "{" + join(fields.map { $0.name.value + ": " + print($0.value) }, ", ") + "}"
        }
    }

    /// A type reference: `[Int!]!`.
    public static func print(_ type: TypeReference) -> String {
        switch type {
        case .named(let name): name.value
        case .list(let inner, _): "[" + print(inner) + "]"
        case .nonNull(let inner, _): print(inner) + "!"
        }
    }

    // MARK: Type system

    static func print(_ node: SchemaDefinition) -> String {
        let head = node.isExtension ? "extend schema" : "schema"
        let operations = node.operationTypes.map { "\($0.operation.rawValue): \($0.type.value)" }
        return description(node.description) + join([head, directives(node.directives), block(operations)], " ")
    }

    static func print(_ node: TypeDefinition) -> String {
        let keyword = (node.isExtension ? "extend " : "") + node.kind.rawValue
        let body: [String]
        switch node.kind {
        case .scalar: body = [keyword, node.name.value, directives(node.directives)]
        case .object, .interface:
            body = [
                keyword, node.name.value, wrap("implements ", join(node.interfaces.map(\.value), " & ")),
                directives(node.directives), block(node.fields.map(print)),
            ]
        case .union:
            body = [
                keyword, node.name.value, directives(node.directives), wrap("= ", join(node.types.map(\.value), " | ")),
            ]
        case .enumeration:
            body = [
                keyword, node.name.value, directives(node.directives),
                block(node.values.map { description($0.description) + join([$0.name.value, directives($0.directives)], " ") }),
            ]
        case .inputObject:
            body = [keyword, node.name.value, directives(node.directives), block(node.inputFields.map(print))]
        }
        return description(node.description) + join(body, " ")
    }

    static func print(_ node: FieldDefinition) -> String {
        description(node.description) + node.name.value + arguments(node.arguments) + ": " + print(node.type)
            + wrap(" ", directives(node.directives))
    }

    static func print(_ node: InputValueDefinition) -> String {
        description(node.description)
            + join(
                [
                    node.name.value + ": " + print(node.type), wrap("= ", node.defaultValue.map(print) ?? ""),
                    directives(node.directives),
                ], " ")
    }

    static func print(_ node: DirectiveDefinition) -> String {
        description(node.description) + "directive @" + node.name.value + arguments(node.arguments)
            + (node.isRepeatable ? " repeatable" : "") + " on " + join(node.locations.map(\.value), " | ")
    }

    private static func arguments(_ nodes: [InputValueDefinition]) -> String {
        let printed = nodes.map(print)
        if printed.contains(where: { $0.contains("\n") }) {
            return wrap("(\n", indent(join(printed, "\n")), "\n)")
        }
        return wrap("(", join(printed, ", "), ")")
    }

    private static func description(_ literal: StringLiteral?) -> String {
        guard let literal else { return "" }
        return (literal.block ? printBlockString(literal.value) : printString(literal.value)) + "\n"
    }

    // MARK: graphql-js printer helpers

    static func directives(_ nodes: [Directive]) -> String { join(nodes.map(print), " ") }

    static func join(_ parts: [String], _ separator: String) -> String {
        parts.filter { !$0.isEmpty }.joined(separator: separator)
    }

    static func wrap(_ start: String, _ string: String, _ end: String = "") -> String {
        string.isEmpty ? "" : start + string + end
    }

    static func block(_ parts: [String]) -> String {
        wrap("{\n", indent(join(parts, "\n")), "\n}")
    }

    static func indent(_ string: String) -> String {
        wrap("  ", string.replacingOccurrences(of: "\n", with: "\n  "))
    }
}

/// A string literal with graphql-js's escapes.
func printString(_ value: String) -> String {
    var result = "\""
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\u{8}": result += "\\b"
        case "\t": result += "\\t"
        case "\n": result += "\\n"
        case "\u{C}": result += "\\f"
        case "\r": result += "\\r"
        default:
            if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}

/// A value literal as text (used in error messages).
func printValue(_ node: ValueNode) -> String { Printer.print(node) }
