/// A parsed GraphQL document: executable definitions and/or type-system definitions.
///
/// See https://spec.graphql.org/October2021/#sec-Document
public struct Document: Sendable {
    public var definitions: [Definition]
    public var location: Location

    public init(definitions: [Definition], location: Location = .none) {
        self.definitions = definitions
        self.location = location
    }

    /// The operations of the document, in order.
    public var operations: [OperationDefinition] {
        self.definitions.compactMap { if case .operation(let operation) = $0 { operation } else { nil } }
    }

    /// The fragments of the document by name (the last of each name wins, as in graphql-js).
    public var fragments: [String: FragmentDefinition] {
        var result: [String: FragmentDefinition] = [:]
        for case .fragment(let fragment) in self.definitions {
            result[fragment.name.value] = fragment
        }
        return result
    }
}

/// Definition : ExecutableDefinition | TypeSystemDefinitionOrExtension
///
/// The type-system definitions are boxed: a definition is a reference and its kind (copied
/// whole into the document's array, a `TypeDefinition` inline would make every executable
/// definition ~150 bytes).
public enum Definition: Sendable {
    case operation(OperationDefinition)
    case fragment(FragmentDefinition)
    indirect case schema(SchemaDefinition)
    indirect case type(TypeDefinition)
    indirect case directive(DirectiveDefinition)

    public var location: Location {
        switch self {
        case .operation(let node): node.location
        case .fragment(let node): node.location
        case .schema(let node): node.location
        case .type(let node): node.location
        case .directive(let node): node.location
        }
    }

    /// Whether the definition is an operation or a fragment.
    public var isExecutable: Bool {
        switch self {
        case .operation, .fragment: true
        default: false
        }
    }
}

/// A name token with its location.
public struct Name: Sendable, Hashable {
    public var value: String
    public var location: Location

    public init(_ value: String, location: Location = .none) {
        self.value = value
        self.location = location
    }
}

/// OperationType : one of `query` `mutation` `subscription`
public enum OperationType: String, Sendable {
    case query, mutation, subscription
}

/// OperationDefinition : OperationType Name? VariableDefinitions? Directives? SelectionSet | SelectionSet
///
/// A class, as the selection nodes are: validation, planning and execution each hold it, and a
/// copy is one reference rather than its name, lists and selection set.
public final class OperationDefinition: Sendable {
    public let operation: OperationType
    public let name: Name?
    public let variableDefinitions: [VariableDefinition]
    public let directives: [Directive]
    public let selectionSet: SelectionSet
    public let location: Location

    public init(
        operation: OperationType, name: Name?, variableDefinitions: [VariableDefinition], directives: [Directive], selectionSet: SelectionSet,
        location: Location
    ) {
        self.operation = operation
        self.name = name
        self.variableDefinitions = variableDefinitions
        self.directives = directives
        self.selectionSet = selectionSet
        self.location = location
    }
}

/// VariableDefinition : Variable : Type DefaultValue? Directives[Const]?
public struct VariableDefinition: Sendable {
    public var variable: Name
    public var type: TypeReference
    public var defaultValue: ValueNode?
    public var directives: [Directive]
    public var location: Location
}

/// FragmentDefinition : fragment FragmentName TypeCondition Directives? SelectionSet
///
/// A class, for the same reason as `OperationDefinition`.
public final class FragmentDefinition: Sendable {
    public let name: Name
    public let typeCondition: Name
    public let directives: [Directive]
    public let selectionSet: SelectionSet
    public let location: Location

    public init(name: Name, typeCondition: Name, directives: [Directive], selectionSet: SelectionSet, location: Location) {
        self.name = name
        self.typeCondition = typeCondition
        self.directives = directives
        self.selectionSet = selectionSet
        self.location = location
    }
}

/// Directive : @ Name Arguments?
public struct Directive: Sendable {
    public var name: Name
    public var arguments: [Argument]
    public var location: Location
}

/// Argument : Name : Value
public struct Argument: Sendable {
    public var name: Name
    public var value: ValueNode
    public var location: Location
}

/// Type : NamedType | ListType | NonNullType
///
/// Only the wrappers are boxed: a named type (most variable types) is held inline.
public enum TypeReference: Sendable {
    case named(Name)
    indirect case list(TypeReference, Location)
    indirect case nonNull(TypeReference, Location)

    public var location: Location {
        switch self {
        case .named(let name): name.location
        case .list(_, let location), .nonNull(_, let location): location
        }
    }

    /// The named type at the bottom of the wrappers.
    public var namedType: Name {
        switch self {
        case .named(let name): name
        case .list(let inner, _), .nonNull(let inner, _): inner.namedType
        }
    }
}
