/// A type reference: a named type, possibly wrapped in lists and non-null.
///
/// See https://spec.graphql.org/October2021/#sec-Wrapping-Types
///
/// Only the wrappers are boxed: a named type is its class reference (validation and execution
/// make `.named` values per node, which with every case indirect allocated a box each).
public enum GraphQLType: Sendable, CustomStringConvertible {
    case named(GraphQLNamedType)
    indirect case list(GraphQLType)
    indirect case nonNull(GraphQLType)

    /// The named type under all wrappers.
    public var namedType: GraphQLNamedType {
        switch self {
        case .named(let type): type
        case .list(let inner), .nonNull(let inner): inner.namedType
        }
    }

    /// The type without its outer non-null wrapper.
    public var nullable: GraphQLType {
        if case .nonNull(let inner) = self { return inner }
        return self
    }

    public var isNonNull: Bool {
        if case .nonNull = self { return true }
        return false
    }

    public var isList: Bool {
        if case .list = self.nullable { return true }
        return false
    }

    public var isInputType: Bool { self.namedType.isInputType }
    public var isOutputType: Bool { self.namedType.isOutputType }

    /// The type as GraphQL writes it: `[String!]!`.
    public var description: String {
        switch self {
        case .named(let type): type.name
        case .list(let inner): "[\(inner)]"
        case .nonNull(let inner): "\(inner)!"
        }
    }

    /// Whether two references denote the same type.
    public func isEqual(to other: GraphQLType) -> Bool {
        switch (self, other) {
        case (.named(let a), .named(let b)): a === b
        case (.list(let a), .list(let b)), (.nonNull(let a), .nonNull(let b)): a.isEqual(to: b)
        default: false
        }
    }
}
