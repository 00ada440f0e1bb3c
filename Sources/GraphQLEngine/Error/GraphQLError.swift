/// A GraphQL error: a message with the source locations and response path it concerns.
///
/// Errors are data (https://spec.graphql.org/October2021/#sec-Errors): the validator and
/// executor collect them into results instead of throwing them out of `execute`.
public struct GraphQLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var locations: [SourceLocation]
    public var path: [PathComponent]?
    public var extensions: [String: Value]

    public init(
        _ message: String, locations: [SourceLocation] = [], path: [PathComponent]? = nil,
        extensions: [String: Value] = [:]
    ) {
        self.message = message
        self.locations = locations
        self.path = path
        self.extensions = extensions
    }

    /// An error at byte offsets of `source` (converted to lines and columns).
    public init(_ message: String, source: Source, offsets: [Int]) {
        self.init(message, locations: offsets.map { source.location(of: $0) })
    }

    public var description: String {
        guard let first = self.locations.first else { return self.message }
        return "\(first): \(self.message)"
    }
}

/// A key of a response path: a field's response name or a list index.
public enum PathComponent: Sendable, Hashable, CustomStringConvertible {
    case key(String)
    case index(Int)

    public var description: String {
        switch self {
        case .key(let key): key
        case .index(let index): String(index)
        }
    }
}

/// A syntax error found by the lexer or parser, with the byte offset where parsing failed.
public struct SyntaxError: Error, Sendable {
    public let message: String
    public let offset: Int

    /// The error as a GraphQL error with its line and column in `source`.
    public func graphQLError(in source: Source) -> GraphQLError {
        GraphQLError("Syntax Error: \(self.message)", locations: [source.location(of: self.offset)])
    }
}
