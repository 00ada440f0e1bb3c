/// A schema's introspection objects, made once with it: each `__Type`, `__Field`, `__InputValue`,
/// `__EnumValue` and `__Directive` is an object value whose plain fields (`name`, `kind`, `type`,
/// `defaultValue`, ...) are properties that completion reads like any data. Only the fields that
/// take arguments or lead back into the type graph (`fields`, `interfaces`, `possibleTypes`,
/// `enumValues`, `inputFields`, `args`) have resolvers; they find their lists here through the
/// index the object keeps under `elementKey` (a key no GraphQL name can be, so never selected).
///
/// An introspection query resolves thousands of such fields; a resolver call and a dynamic cast for
/// each was most of its execution.
final class IntrospectionValues: Sendable {
    static let elementKey = "\u{0}element"

    /// The lists a named type's resolvers return (`.null` where the kind has none). A class: a
    /// resolver takes one list of it, and a copy of the struct retained all eight. Filled while the
    /// schema is built, only read afterwards.
    final class TypeLists: @unchecked Sendable {
        @exclusivity(unchecked) var fields: (active: Value, all: Value) = (.null, .null)
        @exclusivity(unchecked) var interfaces: Value = .null
        @exclusivity(unchecked) var possibleTypes: Value = .null
        @exclusivity(unchecked) var enumValues: (active: Value, all: Value) = (.null, .null)
        @exclusivity(unchecked) var inputFields: (active: Value, all: Value) = (.null, .null)
    }

    /// `__Type` objects of the named types, by name.
    let namedTypes: [String: Value]
    /// `__Schema.types`, in the schema's order.
    let types: Value
    /// By the index a `__Type` object keeps.
    let typeLists: [TypeLists]
    /// `args` of fields and directives, by the index a `__Field` or `__Directive` object keeps.
    let arguments: [(active: Value, all: Value)]
    /// `__Directive` objects by directive name (the schema's list may be trimmed after the build).
    let directives: [String: Value]

    init(_ schema: GraphQLSchema) {
        var builder = Builder(schema: schema)
        self.namedTypes = builder.namedTypes
        self.types = .list(schema.types.compactMap { builder.namedTypes[$0.name] })
        for (index, type) in schema.types.enumerated() { builder.addLists(of: type, at: index) }
        var directives: [String: Value] = [:]
        for directive in schema.directives { directives[directive.name] = builder.directive(directive) }
        self.directives = directives
        self.typeLists = builder.typeLists
        self.arguments = builder.arguments
    }

    static func wrapper(_ kind: String, _ ofType: Value) -> Value {
        .object(
            ValueObject([
                ("kind", .string(kind)), ("name", .null), ("description", .null), ("specifiedByURL", .null), ("isOneOf", .null),
                ("ofType", ofType),
            ]))
    }

    func namedType(_ type: GraphQLNamedType?) -> Value { type.flatMap { self.namedTypes[$0.name] } ?? .null }

    /// Whether `includeDeprecated: true` was given (looked for without hashing: the field has one argument).
    func includesDeprecated(_ arguments: [String: Value]) -> Bool {
        arguments.contains { $0.key == "includeDeprecated" && $0.value == .bool(true) }
    }

    /// The lists of the named type a `__Type` object describes (`nil` for a list or non-null type).
    func lists(of source: Value) -> TypeLists? {
        guard let index = Self.index(of: source), index >= 0, index < self.typeLists.count else { return nil }
        return self.typeLists[index]
    }

    /// `args` of the field or directive a `__Field` or `__Directive` object describes.
    func arguments(of source: Value, _ arguments: [String: Value]) -> Value {
        guard let index = Self.index(of: source), index >= 0, index < self.arguments.count else { return .list([]) }
        return self.includesDeprecated(arguments) ? self.arguments[index].all : self.arguments[index].active
    }

    /// The index an introspection object keeps, if it is one (its last property: no search).
    static func index(of source: Value) -> Int? {
        guard case .object(let object) = source, object.keys.last == elementKey, case .int(let index)? = object.values.last else { return nil }
        return index
    }

    /// Builds the objects: named types first (every other object refers to them), then each type's
    /// lists and each field's and directive's arguments.
    private struct Builder {
        let schema: GraphQLSchema
        var namedTypes: [String: Value] = [:]
        var typeLists: [TypeLists] = []
        var arguments: [(active: Value, all: Value)] = []

        init(schema: GraphQLSchema) {
            self.schema = schema
            for (index, type) in schema.types.enumerated() {
                self.namedTypes[type.name] = .object(
                    ValueObject([
                        ("kind", .string(type.kind.rawValue)), ("name", .string(type.name)), ("description", Self.string(type.description)),
                        ("specifiedByURL", Self.string(type.specifiedByURL)), ("isOneOf", type.kind == .inputObject ? .bool(type.isOneOf) : .null),
                        ("ofType", .null), (IntrospectionValues.elementKey, .int(index)),
                    ]))
            }
            self.typeLists = schema.types.map { _ in TypeLists() }
        }

        static func string(_ text: String?) -> Value { text.map(Value.string) ?? .null }

        func type(_ type: GraphQLType) -> Value {
            switch type {
            case .named(let named): return self.namedTypes[named.name] ?? .null
            case .list(let inner): return IntrospectionValues.wrapper("LIST", self.type(inner))
            case .nonNull(let inner): return IntrospectionValues.wrapper("NON_NULL", self.type(inner))
            }
        }

        /// A list of all the items, and of those not deprecated.
        static func lists<Item>(_ items: [Item], deprecated: (Item) -> Bool, _ object: (Item) -> Value) -> (active: Value, all: Value) {
            let all = items.map(object)
            return (.list(zip(items, all).filter { !deprecated($0.0) }.map(\.1)), .list(all))
        }

        /// The lists of the type at `index` in the schema's types (the index its `__Type` keeps).
        mutating func addLists(of type: GraphQLNamedType, at index: Int) {
            let lists = TypeLists()
            switch type.kind {
            case .object, .interface:
                let firstArguments = self.arguments.count
                for field in type.fields { self.addArguments(field.arguments) }
                lists.fields = Self.lists(Array(type.fields.enumerated()), deprecated: { $0.element.deprecationReason != nil }) {
                    self.field($0.element, arguments: firstArguments + $0.offset)
                }
                lists.interfaces = .list(type.interfaces.map { self.type(.named($0)) })
                if type.kind == .interface { lists.possibleTypes = .list(self.schema.possibleTypes(of: type).map { self.type(.named($0)) }) }
            case .union:
                lists.possibleTypes = .list(self.schema.possibleTypes(of: type).map { self.type(.named($0)) })
            case .enumeration:
                lists.enumValues = Self.lists(type.enumValues, deprecated: { $0.deprecationReason != nil }) { value in
                    .object(
                        ValueObject([
                            ("name", .string(value.name)), ("description", Self.string(value.description)),
                            ("isDeprecated", .bool(value.deprecationReason != nil)), ("deprecationReason", Self.string(value.deprecationReason)),
                        ]))
                }
            case .inputObject:
                lists.inputFields = Self.lists(type.inputFields, deprecated: { $0.deprecationReason != nil }) { self.inputValue($0) }
            case .scalar:
                break
            }
            self.typeLists[index] = lists
        }

        /// A `__Field`, its `args` at `arguments` in `arguments`.
        private func field(_ field: GraphQLField, arguments: Int) -> Value {
            .object(
                ValueObject([
                    ("name", .string(field.name)), ("description", Self.string(field.description)), ("type", self.type(field.type)),
                    ("isDeprecated", .bool(field.deprecationReason != nil)), ("deprecationReason", Self.string(field.deprecationReason)),
                    (IntrospectionValues.elementKey, .int(arguments)),
                ]))
        }

        mutating func addArguments(_ values: [GraphQLInputValue]) {
            self.arguments.append(Self.lists(values, deprecated: { $0.deprecationReason != nil }) { self.inputValue($0) })
        }

        func inputValue(_ value: GraphQLInputValue) -> Value {
            .object(
                ValueObject([
                    ("name", .string(value.name)), ("description", Self.string(value.description)), ("type", self.type(value.type)),
                    ("defaultValue", value.defaultValue.map { .string(printDefaultValue($0, value.type)) } ?? .null),
                    ("isDeprecated", .bool(value.deprecationReason != nil)), ("deprecationReason", Self.string(value.deprecationReason)),
                ]))
        }

        mutating func directive(_ directive: GraphQLDirective) -> Value {
            let index = self.arguments.count
            self.addArguments(directive.arguments)
            return .object(
                ValueObject([
                    ("name", .string(directive.name)), ("description", Self.string(directive.description)),
                    ("isRepeatable", .bool(directive.isRepeatable)), ("locations", .list(directive.locations.map { .string($0.rawValue) })),
                    (IntrospectionValues.elementKey, .int(index)),
                ]))
        }
    }
}
