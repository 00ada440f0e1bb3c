import GraphQLEngine

/// Reads `@fetch`, `@mutate` and `@graphql` from a built schema into plans, checking every one
/// against the schema and the known services. A bad directive is an error naming its SDL line and
/// column.
struct SchemaDirectiveLoader {
    let schema: GraphQLSchema
    let source: Source
    let knownServices: Set<String>
    var errors: [GraphQLError] = []
    var fetchPlans: [ObjectIdentifier: FetchPlan] = [:]
    var mutationPlans: [ObjectIdentifier: MutationPlan] = [:]
    /// The types whose values come from a subgraph, by name, with that subgraph's service.
    var subgraphTypes: [String: String] = [:]
    /// The access rules of subgraph types' own fields whose type is under `@auth` (checked on the
    /// subgraph's answer at every depth).
    var subgraphAccessRules: [ObjectIdentifier: AccessRule] = [:]
    /// Subscription fields' event sources, by field name.
    var subscriptionPlans: [String: SubscriptionPlan] = [:]

    init(schema: GraphQLSchema, source: Source, knownServices: Set<String>) {
        self.schema = schema
        self.source = source
        self.knownServices = knownServices
    }

    mutating func load() {
        self.findSubgraphTypes()
        for type in self.schema.types where type.kind == .object && !type.name.hasPrefix("__") {
            for field in type.fields {
                guard let definition = field.definition else { continue }
                for directive in definition.directives {
                    switch directive.name.value {
                    case "fetch": self.loadFetch(directive, field, type)
                    case "mutate": self.loadMutate(directive, field, type)
                    case "graphql": self.loadGraphQL(directive, field, type)
                    case "event": self.loadEvent(directive, field, type)
                    default: break
                    }
                }
                if self.subgraphTypes[type.name] != nil, !Self.hasResolver(field),
                    field.type.namedType.definitions.flatMap(\.directives).contains(where: { $0.name.value == "auth" }),
                    let rule = self.accessRule(field, type)
                {
                    self.subgraphAccessRules[ObjectIdentifier(field)] = rule
                }
            }
        }
        self.checkEventSources()
    }

    mutating func fail(_ message: String, _ directive: Directive, _ field: GraphQLField, _ type: GraphQLNamedType) {
        self.errors.append(
            GraphQLError(
                "@\(directive.name.value) on \(type.name).\(field.name): \(message)", source: self.source,
                offsets: [directive.location.start]))
    }

    func string(_ directive: Directive, _ name: String) -> String? {
        guard let argument = directive.arguments.first(where: { $0.name.value == name }),
            case .string(let value, _) = argument.value.kind
        else { return nil }
        return value
    }

    mutating func checkService(_ directive: Directive, _ field: GraphQLField, _ type: GraphQLNamedType) -> String? {
        guard let service = self.string(directive, "service") else { return nil }
        guard self.knownServices.contains(service) else {
            self.fail(
                "unknown service \"\(service)\" (known: \(self.knownServices.sorted().joined(separator: ", ")))",
                directive, field, type)
            return nil
        }
        return service
    }

    private mutating func loadFetch(_ directive: Directive, _ field: GraphQLField, _ type: GraphQLNamedType) {
        guard let service = self.checkService(directive, field, type), let path = self.string(directive, "path") else { return }
        let isRoot = type === self.schema.queryType || type === self.schema.mutationType
        guard let template = PathTemplate(path) else {
            self.fail("bad path template \"\(path)\": it must start with \"/\" and close every \"{\"", directive, field, type)
            return
        }
        let placeholders = template.placeholders
        for name in placeholders {
            let known = isRoot ? field.argument(name) != nil : (type.field(name) != nil || field.argument(name) != nil)
            if !known {
                self.fail(
                    "path placeholder {\(name)} is not \(isRoot ? "an argument of the field" : "a field of \(type.name) or an argument")",
                    directive, field, type)
                return
            }
        }
        let batchParam = self.string(directive, "batchParam")
        var key: FetchPlan.KeySource?
        if let keyName = self.string(directive, "key") {
            if isRoot {
                guard field.argument(keyName) != nil else {
                    self.fail("batch key \"\(keyName)\" is not an argument of \(field.name)", directive, field, type)
                    return
                }
                key = .argument(keyName)
            } else {
                guard type.field(keyName) != nil else {
                    self.fail("batch key \"\(keyName)\" is not a field of \(type.name)", directive, field, type)
                    return
                }
                key = .parentField(keyName)
            }
        }
        if batchParam != nil && key == nil {
            self.fail("a batched fetch (batchParam) needs a key", directive, field, type)
            return
        }
        let itemType = field.type.namedType
        let matchOn = self.string(directive, "matchOn") ?? "id"
        if batchParam != nil, itemType.field(matchOn) == nil {
            self.fail("matchOn \"\(matchOn)\" is not a field of \(itemType.name)", directive, field, type)
            return
        }
        var parentFields = placeholders.filter { type.field($0) != nil }
        if case .parentField(let name)? = key, !parentFields.contains(name) { parentFields.append(name) }
        self.fetchPlans[ObjectIdentifier(field)] = FetchPlan(
            service: service, template: template, batchParam: batchParam, key: key, matchOn: matchOn,
            returnsList: field.type.isList, keepsEnvelope: !field.type.isList && itemType.field("data") != nil,
            coordinate: "\(type.name).\(field.name)", cache: self.cachePolicy(field), access: self.accessRule(field, type),
            index: self.fetchPlans.count, parentFields: isRoot ? [] : parentFields,
            parentFieldsFromSubgraph: self.subgraphTypes[type.name] != nil)
    }

    private mutating func loadMutate(_ directive: Directive, _ field: GraphQLField, _ type: GraphQLNamedType) {
        guard let service = self.checkService(directive, field, type), let path = self.string(directive, "path") else { return }
        guard type === self.schema.mutationType else {
            self.fail("@mutate belongs on fields of the mutation type", directive, field, type)
            return
        }
        guard field.argument("input") != nil else {
            self.fail("a @mutate field needs an `input` argument", directive, field, type)
            return
        }
        guard PathTemplate(path)?.placeholders == [] else {
            self.fail("bad path \"\(path)\": it must start with \"/\" and have no placeholders", directive, field, type)
            return
        }
        var invalidations: [MutationPlan.Invalidation] = []
        for use in field.definition?.directives ?? [] where use.name.value == "invalidates" {
            guard let target = self.string(use, "field") else { continue }
            let parts = target.split(separator: ".")
            guard parts.count == 2, let targetType = self.schema.type(named: String(parts[0])),
                targetType.field(String(parts[1])) != nil
            else {
                self.fail("@invalidates names \"\(target)\", which is not a Type.field of the schema", use, field, type)
                continue
            }
            let keyPath = self.string(use, "key").map { $0.split(separator: ".").map(String.init) }
            if let keyPath, field.argument(keyPath[0]) == nil {
                self.fail("@invalidates key \"\(keyPath.joined(separator: "."))\" does not start with an argument", use, field, type)
                continue
            }
            invalidations.append(MutationPlan.Invalidation(field: target, keyPath: keyPath))
        }
        self.mutationPlans[ObjectIdentifier(field)] = MutationPlan(
            service: service, path: path, invalidations: invalidations, access: self.accessRule(field, type),
            publishes: self.publishedTopics(field))
    }

    /// `@auth` of the field, else of its type (the owner field comes from the type unless the field
    /// names one). Authorized data cannot be cached PUBLIC: that is a load error at the directive.
    mutating func accessRule(_ field: GraphQLField, _ type: GraphQLNamedType) -> AccessRule? {
        let onField = field.definition?.directives.first { $0.name.value == "auth" }
        let onType = field.type.namedType.definitions.flatMap(\.directives).first { $0.name.value == "auth" }
        guard let use = onField ?? onType else { return nil }
        var roles: Set<Principal.Role> = []
        if let argument = use.arguments.first(where: { $0.name.value == "roles" }) {
            let items: [ValueNode]
            if case .list(let values) = argument.value.kind { items = values } else { items = [argument.value] }
            for item in items {
                guard case .enumValue(let name) = item.kind, let role = Principal.Role(rawValue: name.lowercased()) else {
                    self.fail("unknown role in @auth", use, field, type)
                    return nil
                }
                roles.insert(role)
            }
        }
        let ownerField = onField.flatMap { self.string($0, "ownerField") } ?? onType.flatMap { self.string($0, "ownerField") }
        if let ownerField, field.type.namedType.field(ownerField) == nil {
            self.fail("ownerField \"\(ownerField)\" is not a field of \(field.type.namedType.name)", use, field, type)
            return nil
        }
        let ownerArgument = onField.flatMap { self.string($0, "ownerArgument") }.map { $0.split(separator: ".").map(String.init) }
        if let ownerArgument, field.argument(ownerArgument[0]) == nil {
            self.fail("ownerArgument \"\(ownerArgument.joined(separator: "."))\" does not start with an argument", use, field, type)
            return nil
        }
        if let policy = self.cachePolicy(field), !policy.isPrivate {
            self.fail("data that needs authorization (@auth) cannot be cached with PUBLIC scope", use, field, type)
            return nil
        }
        // Entities from a subgraph carry the owner id under the alias the gateway asked it by.
        let ownerKey = self.subgraphTypes[field.type.namedType.name] != nil ? ownerField.map(SubgraphRoute.keyAlias) : ownerField
        return AccessRule(roles: roles, ownerField: ownerField, ownerArgument: ownerArgument, ownerKey: ownerKey)
    }

    /// `@cacheControl(maxAge:, scope:)` on the field, else on its type; scope PRIVATE unless said.
    func cachePolicy(_ field: GraphQLField) -> CachePolicy? {
        let uses = (field.definition?.directives ?? []) + field.type.namedType.definitions.flatMap(\.directives)
        guard let use = uses.first(where: { $0.name.value == "cacheControl" }) else { return nil }
        var maxAge = 0
        var isPrivate = true
        for argument in use.arguments {
            switch (argument.name.value, argument.value.kind) {
            case ("maxAge", .int(let text)): maxAge = Int(text) ?? 0
            case ("scope", .enumValue(let scope)): isPrivate = scope != "PUBLIC"
            default: break
            }
        }
        return maxAge > 0 ? CachePolicy(maxAge: .seconds(maxAge), isPrivate: isPrivate) : nil
    }
}
