/// The wording of error messages: graphql-js's (names in double quotes, values as JavaScript
/// prints them), what clients of GraphQL servers see and the default; or graphql-core's (the
/// Python port: single quotes, values as Python prints them), the oracle of the conformance CLI.
public enum MessageStyle: Sendable {
    case graphQLJS
    case graphQLCore

    /// The style messages built in this task use.
    @TaskLocal public static var current: MessageStyle = .graphQLJS

    /// The quote around a name.
    var quote: String { self == .graphQLJS ? "\"" : "'" }

    /// The word for an absent value (`null` in JavaScript, `None` in Python).
    var null: String { self == .graphQLJS ? "null" : "None" }

    /// A directive location as the message names it: its name in graphql-js (`VARIABLE_DEFINITION`),
    /// its value in graphql-core (`variable definition`).
    func name(of location: DirectiveLocation) -> String {
        self == .graphQLJS ? location.rawValue : String(location.rawValue.lowercased().map { $0 == "_" ? " " : $0 })
    }
}

extension String.StringInterpolation {
    /// A name in an error message, quoted in the current `MessageStyle`.
    mutating func appendInterpolation(quoted name: String) {
        let quote = MessageStyle.current.quote
        self.appendLiteral(quote)
        self.appendLiteral(name)
        self.appendLiteral(quote)
    }
}
