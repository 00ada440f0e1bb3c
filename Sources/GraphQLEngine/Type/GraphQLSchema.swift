/// A GraphQL schema: its types, root operation types and directives.
///
/// Build one from SDL with `buildSchema(_:)`. A schema is immutable once built except for the
/// resolvers a host attaches before serving (`GraphQLField.resolve`, `GraphQLNamedType.resolveType`).
/// Because nothing writes a built schema while it serves, its properties (and its types' and
/// fields') skip dynamic exclusivity checks: every field execution reads them, and the checks cost
/// ~9% of an introspection query.
public final class GraphQLSchema: @unchecked Sendable {
    @exclusivity(unchecked) public internal(set) var description: String?
    /// Every type of the schema by name, introspection types included.
    @exclusivity(unchecked) public internal(set) var typeMap: [String: GraphQLNamedType] = [:] {
        didSet {
            self.typeIndex = NameTable(self.typeMap.keys)
            self.typesByPosition = self.typeIndex.names.compactMap { self.typeMap[$0] }
        }
    }
    /// `typeMap` as a name table (lookups by document names: validation, plans, coercion).
    @exclusivity(unchecked) private var typeIndex = NameTable()
    @exclusivity(unchecked) private var typesByPosition: [GraphQLNamedType] = []
    /// The types in graphql-js's order (as `__schema.types` lists them).
    @exclusivity(unchecked) public internal(set) var types: [GraphQLNamedType] = []
    @exclusivity(unchecked) public internal(set) var queryType: GraphQLNamedType?
    @exclusivity(unchecked) public internal(set) var mutationType: GraphQLNamedType?
    @exclusivity(unchecked) public internal(set) var subscriptionType: GraphQLNamedType?
    @exclusivity(unchecked) public internal(set) var directives: [GraphQLDirective] = []
    /// The schema definition and extensions the schema was built from.
    @exclusivity(unchecked) public internal(set) var schemaDefinitions: [SchemaDefinition] = []
    /// Object types implementing each interface (directly or through another interface).
    @exclusivity(unchecked) var implementations: [String: [GraphQLNamedType]] = [:]
    /// Interfaces implementing each interface.
    @exclusivity(unchecked) var interfaceImplementations: [String: [GraphQLNamedType]] = [:]
    @exclusivity(unchecked) private var possibleTypeNames: [String: Set<String>] = [:]
    /// Every type the build created, referenced or not (so `deinit` can release them all).
    @exclusivity(unchecked) var allBuiltTypes: [GraphQLNamedType] = []
    /// Validation's view of the directives, by name.
    @exclusivity(unchecked) var directiveSummaries: [String: DirectiveSummary] = [:]

    /// The meta-fields every schema answers: `__schema`, `__type` and `__typename`.
    @exclusivity(unchecked) public internal(set) var schemaMetaField: GraphQLField!
    @exclusivity(unchecked) public internal(set) var typeMetaField: GraphQLField!
    @exclusivity(unchecked) public internal(set) var typeNameMetaField: GraphQLField!

    init() {}

    /// Types and fields refer to each other (a field's type, a type's fields), so a schema is a
    /// web of reference cycles; breaking them here frees the whole schema when the last reference
    /// to it goes (hot reload builds a new one per change). A type outlives its schema only empty.
    deinit {
        for type in self.allBuiltTypes {
            type.fields = []
            type.interfaces = []
            type.unionMembers = []
            type.inputFields = []
        }
        self.schemaMetaField = nil
        self.typeMetaField = nil
        self.typeNameMetaField = nil
    }

    public func type(named name: String) -> GraphQLNamedType? {
        guard let position = self.typeIndex.position(of: name) else { return nil }
        return self.typesByPosition[position]
    }

    /// Removes directives from the schema as clients see it (introspection, validation, printing),
    /// for directives a host reads from the SDL itself. Call before serving the schema.
    public func hideDirectives(_ names: Set<String>) {
        self.directives.removeAll { names.contains($0.name) }
        for name in names { self.directiveSummaries[name] = nil }
    }

    public func directive(named name: String) -> GraphQLDirective? {
        self.directives.first { $0.name == name }
    }

    /// The root type of an operation type, if the schema supports it.
    public func rootType(for operation: OperationType) -> GraphQLNamedType? {
        switch operation {
        case .query: self.queryType
        case .mutation: self.mutationType
        case .subscription: self.subscriptionType
        }
    }

    /// The object types an abstract type may resolve to.
    public func possibleTypes(of type: GraphQLNamedType) -> [GraphQLNamedType] {
        switch type.kind {
        case .union: type.unionMembers
        case .interface: self.implementations[type.name] ?? []
        case .object: [type]
        default: []
        }
    }

    /// Whether `maybeSubType` is a possible type of (or an interface implementing) `abstractType`.
    public func isSubType(_ abstractType: GraphQLNamedType, _ maybeSubType: GraphQLNamedType) -> Bool {
        if let names = self.possibleTypeNames[abstractType.name] { return names.contains(maybeSubType.name) }
        return false
    }

    /// Reference-equal types overlap; abstract types overlap when they share a possible type.
    func doTypesOverlap(_ a: GraphQLNamedType, _ b: GraphQLNamedType) -> Bool {
        if a === b { return true }
        if a.isAbstract {
            if b.isAbstract {
                return self.possibleTypes(of: a).contains { self.isSubType(b, $0) }
            }
            return self.isSubType(a, b)
        }
        if b.isAbstract { return self.isSubType(b, a) }
        return false
    }

    /// Whether a value of `maybeSubType` can be used where `superType` is expected.
    public func isTypeSubType(_ maybeSubType: GraphQLType, of superType: GraphQLType) -> Bool {
        if maybeSubType.isEqual(to: superType) { return true }
        if case .nonNull(let superInner) = superType {
            if case .nonNull(let subInner) = maybeSubType { return self.isTypeSubType(subInner, of: superInner) }
            return false
        }
        if case .nonNull(let subInner) = maybeSubType { return self.isTypeSubType(subInner, of: superType) }
        if case .list(let superInner) = superType {
            if case .list(let subInner) = maybeSubType { return self.isTypeSubType(subInner, of: superInner) }
            return false
        }
        if case .list = maybeSubType { return false }
        let superNamed = superType.namedType
        let subNamed = maybeSubType.namedType
        return superNamed.isAbstract && (subNamed.kind == .interface || subNamed.kind == .object)
            && self.isSubType(superNamed, subNamed)
    }

    /// Fills the lookup tables once all types are complete.
    func indexPossibleTypes() {
        self.directiveSummaries = Dictionary(self.directives.map { ($0.name, DirectiveSummary($0)) }, uniquingKeysWith: { first, _ in first })
        for type in self.types where type.kind == .object || type.kind == .interface {
            for interface in type.interfaces {
                if type.kind == .object {
                    self.implementations[interface.name, default: []].append(type)
                } else {
                    self.interfaceImplementations[interface.name, default: []].append(type)
                }
            }
        }
        for type in self.types {
            switch type.kind {
            case .union: self.possibleTypeNames[type.name] = Set(type.unionMembers.map(\.name))
            case .interface:
                self.possibleTypeNames[type.name] = Set(
                    (self.implementations[type.name] ?? []).map(\.name)
                        + (self.interfaceImplementations[type.name] ?? []).map(\.name))
            default: break
            }
        }
    }
}
