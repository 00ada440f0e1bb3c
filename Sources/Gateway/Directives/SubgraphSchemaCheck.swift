import GraphQLEngine

/// Checks what the gateway's schema routes to a subgraph against the subgraph's SDL: every
/// `@graphql` field (and, for entity fields, a `@key` of the parent type with the same fields),
/// every field of the types the subgraph returns, their arguments, and the enum values it may
/// send. Each problem is an error at our SDL's field, naming the subgraph.
struct SubgraphSchemaCheck {
    let schema: GraphQLSchema
    let source: Source
    let plans: [ObjectIdentifier: FetchPlan]
    /// Subgraph types by name, with their service.
    let subgraphTypes: [String: String]
    let subgraphs: [String: SubgraphSDL]
    private(set) var errors: [GraphQLError] = []

    init(schema: GraphQLSchema, source: Source, plans: [ObjectIdentifier: FetchPlan], subgraphTypes: [String: String], subgraphs: [String: SubgraphSDL]) {
        self.schema = schema
        self.source = source
        self.plans = plans
        self.subgraphTypes = subgraphTypes
        self.subgraphs = subgraphs
    }

    mutating func check() {
        for type in self.schema.types where type.kind == .object && !type.name.hasPrefix("__") {
            for field in type.fields {
                if let plan = self.plans[ObjectIdentifier(field)], let route = plan.subgraph {
                    self.checkRouted(field, type, plan.service, route)
                } else if let service = self.subgraphTypes[type.name], !SchemaDirectiveLoader.hasResolver(field) {
                    self.checkField(field, of: type, in: service, as: type.name)
                }
            }
            // What the gateway reads from the subgraph's objects besides the client's fields.
            if let service = self.subgraphTypes[type.name] {
                for field in type.fields {
                    for name in self.plans[ObjectIdentifier(field)]?.parentFields ?? [] where self.theirField(name, of: type.name, in: service) == nil {
                        self.fail("\(type.name).\(field.name) reads \(name), which the \(service) subgraph's \(type.name) does not have", field)
                    }
                }
            }
        }
    }

    private mutating func checkRouted(_ field: GraphQLField, _ type: GraphQLNamedType, _ service: String, _ route: SubgraphRoute) {
        guard let subgraph = self.subgraphs[service] else { return }
        switch route.kind {
        case .root:
            let root = self.schema.queryType?.name ?? "Query"
            self.checkField(field, of: type, in: service, as: root)
        case .entity(let typeName, let keyFields):
            guard let entity = subgraph.type(typeName) else {
                self.fail("the \(service) subgraph has no type \(typeName) (an entity with a @key) for \(typeName).\(field.name)", field)
                return
            }
            let key = Set(keyFields.map(\.name))
            if !entity.keys.contains(key) {
                self.fail(
                    "the \(service) subgraph's \(typeName) has no @key(fields: \"\(keyFields.map(\.name).joined(separator: " "))\") (its keys: \(entity.keys.map { $0.sorted().joined(separator: " ") }.sorted().joined(separator: "; ")))",
                    field)
            }
            self.checkField(field, of: type, in: service, as: typeName)
        }
    }

    /// Our `field` of `type` against the subgraph's field of the same name on its type `theirType`.
    private mutating func checkField(_ field: GraphQLField, of type: GraphQLNamedType, in service: String, as theirType: String) {
        guard self.subgraphs[service] != nil else { return }
        guard let theirs = self.theirField(field.name, of: theirType, in: service) else {
            self.fail("the \(service) subgraph has no field \(theirType).\(field.name)", field)
            return
        }
        if !Self.outputCompatible(theirs.type, field.type) {
            self.fail(
                "the \(service) subgraph's \(theirType).\(field.name) is \(Printer.print(theirs.type)), which \(type.name).\(field.name): \(field.type) cannot take",
                field)
        }
        for argument in field.arguments {
            guard let their = theirs.arguments[argument.name] else {
                self.fail("the \(service) subgraph's \(theirType).\(field.name) has no argument \(argument.name)", field)
                continue
            }
            if !Self.inputCompatible(argument.type, their.type) {
                self.fail(
                    "the \(service) subgraph's \(theirType).\(field.name)(\(argument.name):) is \(Printer.print(their.type)), which does not take every \(argument.type)",
                    field)
            }
            let enumType = argument.type.namedType
            if enumType.kind == .enumeration, let theirEnum = self.subgraphs[service]?.type(enumType.name) {
                let missing = Set(enumType.enumValues.map(\.name)).subtracting(theirEnum.values).sorted()
                if !missing.isEmpty {
                    self.fail("the \(service) subgraph's enum \(enumType.name) lacks values our schema sends: \(missing.joined(separator: ", "))", field)
                }
            }
        }
        for (name, their) in theirs.arguments where field.argument(name) == nil {
            if case .nonNull = their.type, their.defaultValue == nil {
                self.fail("the \(service) subgraph's \(theirType).\(field.name) requires argument \(name), which \(type.name).\(field.name) does not have", field)
            }
        }
        self.checkEnum(field.type.namedType, field, in: service)
    }

    /// An enum the subgraph sends must not hold values our schema cannot serialize.
    private mutating func checkEnum(_ type: GraphQLNamedType, _ field: GraphQLField, in service: String) {
        guard type.kind == .enumeration, let theirs = self.subgraphs[service]?.type(type.name) else { return }
        let ours = Set(type.enumValues.map(\.name))
        let unknown = theirs.values.subtracting(ours).sorted()
        if !unknown.isEmpty {
            self.fail("the \(service) subgraph's enum \(type.name) has values our schema lacks: \(unknown.joined(separator: ", "))", field)
        }
    }

    private func theirField(_ name: String, of type: String, in service: String) -> SubgraphSDL.Field? {
        self.subgraphs[service]?.type(type)?.fields[name]
    }

    /// Whether every value of their output type fits ours (theirs may be stricter).
    static func outputCompatible(_ theirs: TypeReference, _ ours: GraphQLType) -> Bool {
        switch (theirs, ours) {
        case (.nonNull(let inner, _), .nonNull(let oursInner)): outputCompatible(inner, oursInner)
        case (.nonNull(let inner, _), _): outputCompatible(inner, ours)
        case (_, .nonNull): false
        case (.list(let inner, _), .list(let oursInner)): outputCompatible(inner, oursInner)
        case (.named(let name), .named(let named)): name.value == named.name
        default: false
        }
    }

    /// Whether every value our argument accepts is one their argument accepts (ours may be stricter).
    static func inputCompatible(_ ours: GraphQLType, _ theirs: TypeReference) -> Bool {
        switch (ours, theirs) {
        case (.nonNull(let inner), .nonNull(let theirsInner, _)): inputCompatible(inner, theirsInner)
        case (.nonNull(let inner), _): inputCompatible(inner, theirs)
        case (_, .nonNull): false
        case (.list(let inner), .list(let theirsInner, _)): inputCompatible(inner, theirsInner)
        case (.named(let named), .named(let name)): name.value == named.name
        default: false
        }
    }

    private mutating func fail(_ message: String, _ field: GraphQLField) {
        let offset = field.definition?.location.start ?? 0
        self.errors.append(GraphQLError(message, source: self.source, offsets: [offset]))
    }
}
