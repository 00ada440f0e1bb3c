/// SchemaDefinition and SchemaExtension.
///
/// See https://spec.graphql.org/October2021/#sec-Schema
public struct SchemaDefinition: Sendable {
    public var description: StringLiteral?
    public var directives: [Directive]
    public var operationTypes: [OperationTypeDefinition]
    public var isExtension: Bool
    public var location: Location
}

/// OperationTypeDefinition : OperationType : NamedType
public struct OperationTypeDefinition: Sendable {
    public var operation: OperationType
    public var type: Name
    public var location: Location
}

/// A description string and whether it was written as a block string.
public struct StringLiteral: Sendable {
    public var value: String
    public var block: Bool
    public var location: Location
}

/// The six kinds of named types a type definition declares.
public enum TypeDefinitionKind: String, Sendable {
    case scalar, object = "type", interface, union, enumeration = "enum", inputObject = "input"
}

/// A type definition or type extension (`scalar`, `type`, `interface`, `union`, `enum`, `input`).
///
/// One node serves all six kinds, as introspection's `__Type` does: only the members that apply
/// to `kind` are non-empty.
public struct TypeDefinition: Sendable {
    public var kind: TypeDefinitionKind
    public var isExtension: Bool
    public var description: StringLiteral?
    public var name: Name
    public var interfaces: [Name]
    public var directives: [Directive]
    /// Object and interface fields.
    public var fields: [FieldDefinition]
    /// Input object fields.
    public var inputFields: [InputValueDefinition]
    /// Union member types.
    public var types: [Name]
    public var values: [EnumValueDefinition]
    public var location: Location
}

/// FieldDefinition : Description? Name ArgumentsDefinition? : Type Directives[Const]?
public struct FieldDefinition: Sendable {
    public var description: StringLiteral?
    public var name: Name
    public var arguments: [InputValueDefinition]
    public var type: TypeReference
    public var directives: [Directive]
    public var location: Location
}

/// InputValueDefinition : Description? Name : Type DefaultValue? Directives[Const]?
public struct InputValueDefinition: Sendable {
    public var description: StringLiteral?
    public var name: Name
    public var type: TypeReference
    public var defaultValue: ValueNode?
    public var directives: [Directive]
    public var location: Location
}

/// EnumValueDefinition : Description? EnumValue Directives[Const]?
public struct EnumValueDefinition: Sendable {
    public var description: StringLiteral?
    public var name: Name
    public var directives: [Directive]
    public var location: Location
}

/// DirectiveDefinition : Description? directive @ Name ArgumentsDefinition? repeatable? on DirectiveLocations
public struct DirectiveDefinition: Sendable {
    public var description: StringLiteral?
    public var name: Name
    public var arguments: [InputValueDefinition]
    public var isRepeatable: Bool
    public var locations: [Name]
    public var location: Location
}

/// The places a directive may appear.
///
/// See https://spec.graphql.org/October2021/#DirectiveLocations
public enum DirectiveLocation: String, Sendable, CaseIterable {
    case query = "QUERY", mutation = "MUTATION", subscription = "SUBSCRIPTION", field = "FIELD"
    case fragmentDefinition = "FRAGMENT_DEFINITION", fragmentSpread = "FRAGMENT_SPREAD"
    case inlineFragment = "INLINE_FRAGMENT", variableDefinition = "VARIABLE_DEFINITION"
    case schema = "SCHEMA", scalar = "SCALAR", object = "OBJECT", fieldDefinition = "FIELD_DEFINITION"
    case argumentDefinition = "ARGUMENT_DEFINITION", interface = "INTERFACE", union = "UNION"
    case enumeration = "ENUM", enumValue = "ENUM_VALUE", inputObject = "INPUT_OBJECT"
    case inputFieldDefinition = "INPUT_FIELD_DEFINITION"

    /// Where an operation of this type puts its directives.
    public init(_ operation: OperationType) {
        switch operation {
        case .query: self = .query
        case .mutation: self = .mutation
        case .subscription: self = .subscription
        }
    }
}

extension DirectiveLocation {
    /// Where directives on a type definition of this kind stand.
    init(_ kind: TypeDefinitionKind) {
        switch kind {
        case .scalar: self = .scalar
        case .object: self = .object
        case .interface: self = .interface
        case .union: self = .union
        case .enumeration: self = .enumeration
        case .inputObject: self = .inputObject
        }
    }
}
