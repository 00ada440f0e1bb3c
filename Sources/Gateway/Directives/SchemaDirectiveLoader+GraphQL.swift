import GraphQLEngine

/// `@graphql`: fields resolved by a downstream GraphQL service (an Apollo Federation subgraph),
/// and the types whose values therefore come from it.
extension SchemaDirectiveLoader {
    /// The directives that give a field a resolver of its own (its value is not read from its parent).
    static let resolvingDirectives: Set<String> = ["fetch", "mutate", "graphql"]

    /// Marks every type a subgraph returns: the type of each `@graphql` field and, through fields
    /// without a resolver of their own, the types below it. A type comes from one source: one
    /// subgraph, or the REST services.
    mutating func findSubgraphTypes() {
        var restTypes: [String: (Directive, GraphQLField, GraphQLNamedType)] = [:]
        for type in self.schema.types where type.kind == .object && !type.name.hasPrefix("__") {
            for field in type.fields {
                for directive in field.definition?.directives ?? [] {
                    switch directive.name.value {
                    case "fetch", "mutate": restTypes[field.type.namedType.name] = (directive, field, type)
                    case "graphql":
                        guard let service = self.string(directive, "service"), self.knownServices.contains(service) else { continue }
                        self.markSubgraphType(field.type.namedType, service, directive, field, type)
                    default: break
                    }
                }
            }
        }
        for (name, service) in self.subgraphTypes.sorted(by: { $0.key < $1.key }) {
            guard let (directive, field, type) = restTypes[name] else { continue }
            self.fail("returns \(name), which the \(service) subgraph returns too: a type comes from one source", directive, field, type)
        }
    }

    private mutating func markSubgraphType(
        _ returned: GraphQLNamedType, _ service: String, _ directive: Directive, _ field: GraphQLField, _ type: GraphQLNamedType
    ) {
        guard returned.isComposite, returned !== self.schema.queryType, returned !== self.schema.mutationType else { return }
        if let other = self.subgraphTypes[returned.name] {
            if other != service {
                self.fail("returns \(returned.name), which the \(other) subgraph returns too: a type comes from one source", directive, field, type)
            }
            return
        }
        self.subgraphTypes[returned.name] = service
        if returned.isAbstract {
            for possible in self.schema.possibleTypes(of: returned) { self.markSubgraphType(possible, service, directive, field, type) }
        }
        for child in returned.fields where !Self.hasResolver(child) {
            self.markSubgraphType(child.type.namedType, service, directive, field, type)
        }
    }

    static func hasResolver(_ field: GraphQLField) -> Bool {
        field.definition?.directives.contains { Self.resolvingDirectives.contains($0.name.value) } ?? false
    }

    /// `@graphql(service:, key:)` on a root field (forwarded) or on a field of an entity type
    /// (through `_entities`, the parent's `key` fields making its representation).
    mutating func loadGraphQL(_ directive: Directive, _ field: GraphQLField, _ type: GraphQLNamedType) {
        guard let service = self.checkService(directive, field, type) else { return }
        if type === self.schema.mutationType {
            self.fail("subgraph mutations are not supported: give the mutation @mutate", directive, field, type)
            return
        }
        let kind: SubgraphRoute.Kind
        if type === self.schema.queryType {
            if self.string(directive, "key") != nil {
                self.fail("a root field is forwarded as it is: it takes no key", directive, field, type)
                return
            }
            kind = .root
        } else {
            let names = (self.string(directive, "key") ?? "id").split(separator: " ").map(String.init)
            var keyFields: [SubgraphRoute.KeyField] = []
            for name in names {
                guard let keyField = type.field(name), case .named(let scalar) = keyField.type.nullable,
                    ["ID", "String", "Int"].contains(scalar.name)
                else {
                    self.fail("key field \"\(name)\" is not an ID, String or Int field of \(type.name)", directive, field, type)
                    return
                }
                keyFields.append(SubgraphRoute.KeyField(name: name, isInt: scalar.name == "Int"))
            }
            if keyFields.isEmpty {
                self.fail("the key names no field", directive, field, type)
                return
            }
            kind = .entity(typeName: type.name, keyFields: keyFields)
        }
        let route = SubgraphRoute(kind: kind, fieldName: field.name)
        var parentFields: [String] = []
        if case .entity(_, let keyFields) = kind { parentFields = keyFields.map(\.name) }
        self.fetchPlans[ObjectIdentifier(field)] = FetchPlan(
            service: service, template: PathTemplate(fixed: "/graphql"), batchParam: nil, key: nil, matchOn: "", returnsList: field.type.isList,
            keepsEnvelope: false, coordinate: "\(type.name).\(field.name)", cache: self.cachePolicy(field), access: self.accessRule(field, type),
            index: self.fetchPlans.count, subgraph: route, parentFields: parentFields,
            parentFieldsFromSubgraph: self.subgraphTypes[type.name] != nil)
    }
}
