/// Errors found while building a schema from SDL, each with its location in the SDL source.
public struct SchemaBuildError: Error, Sendable, CustomStringConvertible {
    public let errors: [GraphQLError]
    public let sourceName: String

    public var description: String {
        self.errors.map { "\(self.sourceName):\($0)" }.joined(separator: "\n")
    }
}

/// Builds a schema from SDL text (graphql-js `buildSchema`).
public func buildSchema(_ sdl: String, sourceName: String = "schema.graphql") throws -> GraphQLSchema {
    let source = Source(sdl, name: sourceName)
    let document: Document
    do {
        document = try Parser.parse(source)
    } catch {
        throw SchemaBuildError(errors: [error.graphQLError(in: source)], sourceName: sourceName)
    }
    return try buildSchema(document, source: source)
}

/// Builds a schema from a parsed SDL document (graphql-js `buildASTSchema`).
///
/// The document is checked first (names unique and known, kinds right, interfaces implemented
/// correctly); every problem is reported at once with its location.
public func buildSchema(_ document: Document, source: Source) throws -> GraphQLSchema {
    var builder = SchemaBuilder(source: source)
    return try builder.build(document)
}

/// The steps of `buildSchema`, with the errors collected along the way.
struct SchemaBuilder {
    let source: Source
    var errors: [GraphQLError] = []
    let schema = GraphQLSchema()

    init(source: Source) {
        self.source = source
    }

    mutating func report(_ message: String, _ locations: Location...) {
        self.errors.append(GraphQLError(message, source: self.source, offsets: locations.map(\.start)))
    }

    mutating func build(_ document: Document) throws -> GraphQLSchema {
        let builtins = BuiltinDefinitions.shared
        var definitions: [TypeDefinition] = []
        var extensions: [String: [TypeDefinition]] = [:]
        var directiveDefinitions: [DirectiveDefinition] = []
        for definition in document.definitions {
            switch definition {
            case .schema(let node): self.schema.schemaDefinitions.append(node)
            case .type(let node):
                if node.isExtension { extensions[node.name.value, default: []].append(node) } else { definitions.append(node) }
            case .directive(let node): directiveDefinitions.append(node)
            case .operation(let node):
                self.report("The \(node.operation.rawValue) definition is not allowed in a schema.", node.location)
            case .fragment(let node):
                self.report("The \(quoted: "\(node.name.value)") definition is not allowed in a schema.", node.location)
            }
        }

        // Types: built-in scalars and introspection types, then the SDL's, in SDL order.
        var typeMap: [String: GraphQLNamedType] = [:]
        var userTypes: [GraphQLNamedType] = []
        var definitionsByName: [String: [TypeDefinition]] = [:]
        for definition in builtins.types {
            typeMap[definition.name.value] = GraphQLNamedType(name: definition.name.value, kind: TypeKind(definition.kind))
            definitionsByName[definition.name.value] = [definition]
        }
        for definition in definitions {
            let name = definition.name.value
            if let builtin = builtins.typeNames[name] {
                if builtin.kind == .scalar && definition.kind == .scalar {
                    userTypes.append(typeMap[name]!)
                    continue
                }
                self.report("Type \(quoted: "\(name)") already exists in the schema. It cannot also be defined in this type definition.", definition.name.location)
                continue
            }
            if let existing = definitionsByName[name]?.first {
                self.report("There can be only one type named \(quoted: "\(name)").", existing.name.location, definition.name.location)
                continue
            }
            if name.hasPrefix("__") {
                self.report("Name \(quoted: "\(name)") must not begin with \(quoted: "__"), which is reserved by GraphQL introspection.", definition.name.location)
            }
            let type = GraphQLNamedType(name: name, kind: TypeKind(definition.kind))
            typeMap[name] = type
            definitionsByName[name] = [definition]
            userTypes.append(type)
        }
        for (name, nodes) in extensions {
            for node in nodes {
                guard let existing = definitionsByName[name]?.first, builtins.typeNames[name] == nil else {
                    self.report("Cannot extend type \(quoted: "\(name)") because it is not defined.", node.name.location)
                    continue
                }
                guard existing.kind == node.kind else {
                    self.report("Cannot extend non-\(existing.kind.rawValue == "type" ? "object" : existing.kind.rawValue) type \(quoted: "\(name)").", node.name.location)
                    continue
                }
                definitionsByName[name, default: []].append(node)
            }
        }
        self.schema.typeMap = typeMap
        self.schema.allBuiltTypes = Array(typeMap.values)

        // Directives: the SDL's, then the specified ones it did not redefine.
        var directives: [GraphQLDirective] = []
        var directiveNodes: [String: DirectiveDefinition] = [:]
        for node in directiveDefinitions {
            if let first = directiveNodes[node.name.value] {
                self.report("There can be only one directive named \(quoted: "@\(node.name.value)").", first.name.location, node.name.location)
                continue
            }
            directiveNodes[node.name.value] = node
            directives.append(GraphQLDirective(name: node.name.value))
        }
        for node in builtins.directives where directiveNodes[node.name.value] == nil {
            directiveNodes[node.name.value] = node
            directives.append(GraphQLDirective(name: node.name.value))
        }
        self.schema.directives = directives
        for directive in directives {
            let node = directiveNodes[directive.name]!
            directive.definition = node
            directive.description = node.description?.value
            directive.isRepeatable = node.isRepeatable
            directive.locations = node.locations.compactMap { DirectiveLocation(rawValue: $0.value) }
            directive.arguments = self.buildInputValues(node.arguments, owner: "@\(directive.name)")
        }

        // Members of each type.
        for (name, nodes) in definitionsByName {
            self.fill(typeMap[name]!, from: nodes)
        }

        self.buildRootTypes()
        self.buildMetaFields()
        self.schema.types = self.orderedTypes(userTypes: userTypes)
        // Only referenced types belong to the schema (graphql-js drops unused built-in scalars).
        self.schema.typeMap = Dictionary(uniqueKeysWithValues: self.schema.types.map { ($0.name, $0) })
        self.schema.indexPossibleTypes()
        self.validateTypes(definitionsByName: definitionsByName)
        self.checkDirectiveUses(in: document)
        installIntrospectionResolvers(self.schema)
        if !self.errors.isEmpty {
            throw SchemaBuildError(errors: self.errors, sourceName: self.source.name)
        }
        return self.schema
    }

    // MARK: Type members

    mutating func fill(_ type: GraphQLNamedType, from nodes: [TypeDefinition]) {
        type.definitions = nodes
        type.description = nodes.first?.description?.value
        for node in nodes {
            for interfaceName in node.interfaces {
                guard let interface = self.lookup(interfaceName) else { continue }
                guard interface.kind == .interface else {
                    self.report("Type \(type.name) must only implement Interface types, it cannot implement \(interface.name).", interfaceName.location)
                    continue
                }
                if type.interfaces.contains(where: { $0 === interface }) {
                    self.report("Type \(type.name) can only implement \(interface.name) once.", interfaceName.location)
                    continue
                }
                type.interfaces.append(interface)
            }
            for fieldNode in node.fields {
                if type.field(fieldNode.name.value) != nil {
                    self.report("Field \(quoted: "\(type.name).\(fieldNode.name.value)") can only be defined once.", fieldNode.name.location)
                    continue
                }
                guard let fieldType = self.resolve(fieldNode.type) else { continue }
                if !fieldType.isOutputType {
                    self.report("The type of \(type.name).\(fieldNode.name.value) must be Output Type but got: \(fieldType).", fieldNode.type.location)
                }
                let field = GraphQLField(
                    name: fieldNode.name.value, type: fieldType,
                    arguments: self.buildInputValues(fieldNode.arguments, owner: "\(type.name).\(fieldNode.name.value)"))
                field.description = fieldNode.description?.value
                field.deprecationReason = self.deprecationReason(fieldNode.directives)
                field.definition = fieldNode
                type.addField(field)
            }
            for inputNode in node.inputFields {
                if type.inputField(inputNode.name.value) != nil {
                    self.report("Field \(quoted: "\(type.name).\(inputNode.name.value)") can only be defined once.", inputNode.name.location)
                    continue
                }
                if let value = self.buildInputValues([inputNode], owner: type.name).first { type.addInputField(value) }
            }
            for memberName in node.types {
                guard let member = self.lookup(memberName) else { continue }
                guard member.kind == .object else {
                    self.report("Union type \(type.name) can only include Object types, it cannot include \(member.name).", memberName.location)
                    continue
                }
                if type.unionMembers.contains(where: { $0 === member }) {
                    self.report("Union type \(type.name) can only include type \(member.name) once.", memberName.location)
                    continue
                }
                type.unionMembers.append(member)
            }
            for valueNode in node.values {
                if type.enumValue(valueNode.name.value) != nil {
                    self.report("Enum value \(quoted: "\(type.name).\(valueNode.name.value)") can only be defined once.", valueNode.name.location)
                    continue
                }
                type.addEnumValue(
                    GraphQLEnumValue(
                        name: valueNode.name.value, description: valueNode.description?.value,
                        deprecationReason: self.deprecationReason(valueNode.directives), definition: valueNode))
            }
            for directive in node.directives {
                switch directive.name.value {
                case "specifiedBy":
                    if case .string(let url, _)? = directive.arguments.first(where: { $0.name.value == "url" })?.value.kind {
                        type.specifiedByURL = url
                    }
                case "oneOf": type.isOneOf = true
                default: break
                }
            }
        }
    }

    mutating func buildInputValues(_ nodes: [InputValueDefinition], owner: String) -> [GraphQLInputValue] {
        var values: [GraphQLInputValue] = []
        for node in nodes {
            if values.contains(where: { $0.name == node.name.value }) {
                self.report("Argument \(quoted: "\(owner)(\(node.name.value):)") can only be defined once.", node.name.location)
                continue
            }
            guard let type = self.resolve(node.type) else { continue }
            if !type.isInputType {
                self.report("The type of \(owner).\(node.name.value) must be Input Type but got: \(type).", node.type.location)
            }
            values.append(
                GraphQLInputValue(
                    name: node.name.value, description: node.description?.value, type: type,
                    defaultValue: node.defaultValue, deprecationReason: self.deprecationReason(node.directives),
                    definition: node))
        }
        return values
    }

    func deprecationReason(_ directives: [Directive]) -> String? {
        guard let directive = directives.first(where: { $0.name.value == "deprecated" }) else { return nil }
        if case .string(let reason, _)? = directive.arguments.first(where: { $0.name.value == "reason" })?.value.kind {
            return reason
        }
        return "No longer supported"
    }

    mutating func lookup(_ name: Name) -> GraphQLNamedType? {
        if let type = self.schema.typeMap[name.value] { return type }
        self.report("Unknown type \(quoted: "\(name.value)").", name.location)
        return nil
    }

    mutating func resolve(_ reference: TypeReference) -> GraphQLType? {
        switch reference {
        case .named(let name): return self.lookup(name).map { .named($0) }
        case .list(let inner, _): return self.resolve(inner).map { .list($0) }
        case .nonNull(let inner, _): return self.resolve(inner).map { .nonNull($0) }
        }
    }

    // MARK: Root types and meta-fields

    mutating func buildRootTypes() {
        var seen = Set<OperationType>()
        if self.schema.schemaDefinitions.filter({ !$0.isExtension }).count > 1 {
            let second = self.schema.schemaDefinitions.filter { !$0.isExtension }[1]
            self.report("Must provide only one schema definition.", second.location)
        }
        var explicit = false
        for definition in self.schema.schemaDefinitions {
            if !definition.isExtension {
                explicit = true
                self.schema.description = definition.description?.value
            }
            for operationType in definition.operationTypes {
                if !seen.insert(operationType.operation).inserted {
                    self.report("There can be only one \(operationType.operation.rawValue) type in schema.", operationType.location)
                    continue
                }
                guard let type = self.lookup(operationType.type) else { continue }
                guard type.kind == .object else {
                    let label = operationType.operation.rawValue.prefix(1).uppercased() + operationType.operation.rawValue.dropFirst()
                    self.report("\(label) root type must be Object type\(operationType.operation == .query ? "" : " if provided"), it cannot be \(type.name).", operationType.type.location)
                    continue
                }
                self.assignRoot(operationType.operation, type)
            }
        }
        if !explicit {
            for (operation, name) in [(OperationType.query, "Query"), (.mutation, "Mutation"), (.subscription, "Subscription")]
            where self.schema.rootType(for: operation) == nil {
                if let type = self.schema.typeMap[name], type.kind == .object { self.assignRoot(operation, type) }
            }
        }
        if self.schema.queryType == nil {
            self.errors.append(GraphQLError("Query root type must be provided."))
        }
    }

    func assignRoot(_ operation: OperationType, _ type: GraphQLNamedType) {
        switch operation {
        case .query: self.schema.queryType = type
        case .mutation: self.schema.mutationType = type
        case .subscription: self.schema.subscriptionType = type
        }
    }

    func buildMetaFields() {
        let typeMap = self.schema.typeMap
        let string = GraphQLType.named(typeMap["String"]!)
        self.schema.schemaMetaField = GraphQLField(name: "__schema", type: .nonNull(.named(typeMap["__Schema"]!)))
        self.schema.schemaMetaField.description = "Access the current type schema of this server."
        self.schema.typeMetaField = GraphQLField(
            name: "__type", type: .named(typeMap["__Type"]!),
            arguments: [GraphQLInputValue(name: "name", type: .nonNull(string))])
        self.schema.typeMetaField.description = "Request the type information of a single type."
        self.schema.typeNameMetaField = GraphQLField(name: "__typename", type: .nonNull(string))
        self.schema.typeNameMetaField.description = "The name of the current Object type at runtime."
    }

    /// graphql-js's type order: the SDL's types each followed by what they reference first,
    /// then the root types, the directives' argument types, and the introspection types.
    func orderedTypes(userTypes: [GraphQLNamedType]) -> [GraphQLNamedType] {
        var order: [String: Int] = [:]
        var sequence = 0
        var removed = Set<String>()
        var list: [GraphQLNamedType?] = []
        func add(_ type: GraphQLNamedType) {
            order[type.name] = sequence
            list.append(type)
            sequence += 1
        }
        for type in userTypes { add(type) }
        func collect(_ type: GraphQLNamedType) {
            if order[type.name] != nil { return }
            add(type)
            for member in type.unionMembers { collect(member) }
            for interface in type.interfaces { collect(interface) }
            for field in type.fields {
                collect(field.type.namedType)
                for argument in field.arguments { collect(argument.type.namedType) }
            }
            for field in type.inputFields { collect(field.type.namedType) }
        }
        for type in userTypes {
            if let index = order[type.name] {
                list[index] = nil
                order[type.name] = nil
                removed.insert(type.name)
            }
            collect(type)
        }
        for root in [self.schema.queryType, self.schema.mutationType, self.schema.subscriptionType] {
            if let root { collect(root) }
        }
        for directive in self.schema.directives {
            for argument in directive.arguments { collect(argument.type.namedType) }
        }
        collect(self.schema.typeMap["__Schema"]!)
        return list.compactMap { $0 }
    }
}
