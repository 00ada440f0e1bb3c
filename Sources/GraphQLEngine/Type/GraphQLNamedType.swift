/// A named type of a schema: scalar, object, interface, union, enum or input object.
///
/// One class for the six kinds, as introspection's `__Type` has: members that do not apply to
/// `kind` are empty. Types are built once by `buildSchema` and then only read, so they are shared
/// freely across tasks.
public final class GraphQLNamedType: @unchecked Sendable {
    public let name: String
    public let kind: TypeKind
    @exclusivity(unchecked) public internal(set) var description: String?
    /// Object and interface fields, in definition order.
    @exclusivity(unchecked) public internal(set) var fields: [GraphQLField] = []
    /// The fields' names, by position in `fields`.
    let fieldIndex = NameTable()
    @exclusivity(unchecked) public internal(set) var interfaces: [GraphQLNamedType] = []
    /// Union member types.
    @exclusivity(unchecked) public internal(set) var unionMembers: [GraphQLNamedType] = []
    @exclusivity(unchecked) public internal(set) var enumValues: [GraphQLEnumValue] = []
    /// The enum values' names, by position in `enumValues`.
    let enumValueIndex = NameTable()
    @exclusivity(unchecked) public internal(set) var inputFields: [GraphQLInputValue] = []
    /// The input fields' names, by position in `inputFields`.
    let inputFieldIndex = NameTable()
    @exclusivity(unchecked) public internal(set) var specifiedByURL: String?
    @exclusivity(unchecked) public internal(set) var isOneOf = false
    /// The built-in scalar this type is, if any.
    public let builtinScalar: BuiltinScalar?
    /// The definition and extensions the type was built from (for directives and locations).
    @exclusivity(unchecked) public internal(set) var definitions: [TypeDefinition] = []
    /// How an abstract type finds the concrete object type of a value. Defaults to the value's
    /// `__typename` property.
    @exclusivity(unchecked) public var resolveType: TypeResolver?

    init(name: String, kind: TypeKind) {
        self.name = name
        self.kind = kind
        self.builtinScalar = kind == .scalar ? BuiltinScalar(rawValue: name) : nil
    }

    /// The field named `name` (object and interface types).
    @inline(__always)
    public func field(_ name: String) -> GraphQLField? {
        guard let index = self.fieldIndex.position(of: name) else { return nil }
        return self.fields[index]
    }

    public func inputField(_ name: String) -> GraphQLInputValue? {
        guard let index = self.inputFieldIndex.position(of: name) else { return nil }
        return self.inputFields[index]
    }

    /// Whether `name` is one of the enum's values (no copy of the value's definition).
    public func hasEnumValue(_ name: String) -> Bool { self.enumValueIndex.position(of: name) != nil }

    public func enumValue(_ name: String) -> GraphQLEnumValue? {
        guard let index = self.enumValueIndex.position(of: name) else { return nil }
        return self.enumValues[index]
    }

    public var isAbstract: Bool { self.kind == .interface || self.kind == .union }
    public var isComposite: Bool { self.kind == .object || self.kind == .interface || self.kind == .union }
    public var isLeaf: Bool { self.kind == .scalar || self.kind == .enumeration }
    public var isInputType: Bool { self.kind == .scalar || self.kind == .enumeration || self.kind == .inputObject }
    public var isOutputType: Bool { self.kind != .inputObject }

    /// Adds a field; a repeated name is not added (`buildSchema` reports it and never passes one),
    /// so positions in `fieldIndex` stay those of `fields` (as for input fields and enum values).
    func addField(_ field: GraphQLField) {
        guard self.fieldIndex.insert(field.name).inserted else { return }
        self.fields.append(field)
    }

    func addInputField(_ field: GraphQLInputValue) {
        guard self.inputFieldIndex.insert(field.name).inserted else { return }
        self.inputFields.append(field)
    }

    /// Adds a value; a repeated name is not added (`buildSchema` reports it and never passes one),
    /// so positions in `enumValueIndex` stay those of `enumValues`.
    func addEnumValue(_ value: GraphQLEnumValue) {
        guard self.enumValueIndex.insert(value.name).inserted else { return }
        self.enumValues.append(value)
    }
}

/// A field of an object or interface type, with the resolver the executor calls for it.
public final class GraphQLField: @unchecked Sendable {
    public let name: String
    @exclusivity(unchecked) public internal(set) var description: String?
    @exclusivity(unchecked) public internal(set) var type: GraphQLType {
        didSet {
            self.typeWrappers.deallocate()
            self.typeWrappers = TypeWrappers(self.type)
            self.namedType = self.type.namedType
        }
    }
    /// The type's wrappers and named type, made when the type is set: every field group of every
    /// compiled operation copies them (value completion walks them with no reference counting;
    /// the named type is held by `type`).
    @exclusivity(unchecked) private(set) var typeWrappers: TypeWrappers
    @exclusivity(unchecked) private(set) unowned(unsafe) var namedType: GraphQLNamedType
    @exclusivity(unchecked) public internal(set) var arguments: [GraphQLInputValue]
    @exclusivity(unchecked) public internal(set) var deprecationReason: String?
    /// The SDL definition, for the directives a host reads (`nil` for built-in fields).
    @exclusivity(unchecked) public internal(set) var definition: FieldDefinition?
    /// The resolver; `nil` resolves the field as the property of the same name of its parent.
    @exclusivity(unchecked) public var resolve: FieldResolver?
    /// The resolver of every parent of a level at once (used instead of `resolve` when set): one
    /// call per field per level, the values delivered by position.
    @exclusivity(unchecked) public var batchResolve: BatchFieldResolver?
    /// Without a resolver: read the parent's property named by the field's response key (its alias,
    /// else its name) rather than by its name — for parents that arrive shaped as the response is
    /// (a GraphQL service's answer to the same selection).
    @exclusivity(unchecked) public var readsResponseKey = false

    init(name: String, type: GraphQLType, arguments: [GraphQLInputValue] = []) {
        self.name = name
        self.type = type
        self.typeWrappers = TypeWrappers(type)
        self.namedType = type.namedType
        self.arguments = arguments
    }

    deinit {
        self.typeWrappers.deallocate()
    }

    public func argument(_ name: String) -> GraphQLInputValue? {
        self.arguments.first { $0.name == name }
    }
}

/// An argument of a field or directive, or a field of an input object type.
///
/// A class: validation and coercion pass it around per argument, and a copy of the struct
/// retained each of its six references.
public final class GraphQLInputValue: Sendable {
    public let name: String
    public let description: String?
    public let type: GraphQLType
    /// The default value literal as written in the SDL.
    public let defaultValue: ValueNode?
    public let deprecationReason: String?
    public let definition: InputValueDefinition?

    public init(
        name: String, description: String? = nil, type: GraphQLType, defaultValue: ValueNode? = nil, deprecationReason: String? = nil,
        definition: InputValueDefinition? = nil
    ) {
        self.name = name
        self.description = description
        self.type = type
        self.defaultValue = defaultValue
        self.deprecationReason = deprecationReason
        self.definition = definition
    }
}

/// A value of an enum type.
public struct GraphQLEnumValue: Sendable {
    public let name: String
    public var description: String?
    public var deprecationReason: String?
    public var definition: EnumValueDefinition?
}

/// A directive the schema declares (built-in or from SDL).
public final class GraphQLDirective: @unchecked Sendable {
    public let name: String
    @exclusivity(unchecked) public internal(set) var description: String?
    @exclusivity(unchecked) public internal(set) var arguments: [GraphQLInputValue] = []
    @exclusivity(unchecked) public internal(set) var locations: [DirectiveLocation] = []
    @exclusivity(unchecked) public internal(set) var isRepeatable = false
    @exclusivity(unchecked) public internal(set) var definition: DirectiveDefinition?

    init(name: String) {
        self.name = name
    }

    public func argument(_ name: String) -> GraphQLInputValue? {
        self.arguments.first { $0.name == name }
    }
}
