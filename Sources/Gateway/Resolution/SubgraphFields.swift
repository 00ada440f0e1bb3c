import GraphQLEngine

/// The schema's subgraph side: which types come from which subgraph, the fields the gateway
/// resolves itself, and the resolvers of `@graphql` fields and of the fields of subgraph types.
final class SubgraphFields: Sendable {
    private let plans: [ObjectIdentifier: FetchPlan]
    /// Types whose values a subgraph returns, by name, with its service.
    let types: [String: String]
    /// The owner field of subgraph types under `@auth` (asked for on every object of the type).
    private let ownerFields: [String: String]

    init(plans: [ObjectIdentifier: FetchPlan], types: [String: String], schema: GraphQLSchema) {
        self.plans = plans
        self.types = types
        var ownerFields: [String: String] = [:]
        for name in types.keys {
            guard let type = schema.type(named: name) else { continue }
            let auth = type.definitions.flatMap(\.directives).first { $0.name.value == "auth" }
            let owner = auth?.arguments.first { $0.name.value == "ownerField" }
            if case .string(let field, _)? = owner?.value.kind { ownerFields[name] = field }
        }
        self.ownerFields = ownerFields
    }

    /// The plan of a field the gateway resolves itself (`@fetch`, `@graphql`).
    func plan(of field: GraphQLField) -> FetchPlan? { self.plans[ObjectIdentifier(field)] }

    /// What the gateway asks for on every object of `type` besides the client's selection.
    func requiredFields(of type: GraphQLNamedType) -> [String] {
        self.ownerFields[type.name].map { [$0] } ?? []
    }

    /// A `@graphql` field: its parents' keys (entities) or its arguments (root fields) queued on
    /// the request's loaders with the selection the subgraph is asked for, once per level.
    func resolver(for plan: FetchPlan) -> BatchFieldResolver {
        { sources, arguments, info, batch in
            let context = try GatewayContext.of(info)
            guard let route = plan.subgraph else {
                throw GraphQLError("The field \(plan.coordinate) has no subgraph route.", extensions: ["code": "INTERNAL_SERVER_ERROR"])
            }
            if let rule = plan.access, let denial = rule.denial(for: context.principal, arguments: arguments, coordinate: plan.coordinate) {
                context.loaders.noteDenial(count: sources.count)
                throw denial
            }
            var keys: [(index: Int, key: String)] = []
            keys.reserveCapacity(sources.count)
            for (index, source) in sources.enumerated() {
                switch route.kind {
                case .root:
                    keys.append((index, Self.argumentsKey(arguments)))
                case .entity(_, let keyFields):
                    let values = keyFields.compactMap { plan.parentValue(source, $0.name).flatMap(keyString) }
                    guard values.count == keyFields.count else {
                        batch.fill(index, plan.emptyAnswer)
                        continue
                    }
                    keys.append((index, values.joined(separator: String(SubgraphRoute.keySeparator))))
                }
            }
            guard !keys.isEmpty else { return }
            let selection = try context.loaders.subgraphSelection(info) {
                try SubgraphSelectionPrinter.selection(info, fields: self, service: plan.service)
            }
            context.loaders.load(plan, keys: keys, selection: selection, into: batch)
        }
    }

    /// A field of a subgraph type whose type is under `@auth`: its value is in the parent under the
    /// client's response key, and is checked for the caller (a patient sees only their own),
    /// wherever in the subgraph's answer it is. (Fields without a rule read the response key
    /// without a resolver: `GraphQLField.readsResponseKey`.)
    func resolver(readingResponseKeyOf field: GraphQLField, access: AccessRule) -> FieldResolver {
        let coordinate = "\(field.type.namedType.name)"
        return { source, _, info in
            let value = source[info.responseKey] ?? .null
            guard let context = info.context as? GatewayContext else { return .value(value) }
            if let denial = access.roleDenial(for: context.principal, coordinate: coordinate) {
                context.loaders.noteDenial()
                throw denial
            }
            let entities: [Value]
            switch value {
            case .list(let items): entities = items
            case .null: entities = []
            default: entities = [value]
            }
            if !access.permits(entities, for: context.principal) {
                context.loaders.noteDenial()
                throw AccessRule.forbidden(coordinate)
            }
            return .value(value)
        }
    }

    /// A root field's arguments as one loader key: the value of a single scalar argument
    /// (`coverage(id: "7")` → `7`), else every argument in name order.
    static func argumentsKey(_ arguments: [String: Value]) -> String {
        if arguments.count == 1, let only = arguments.first, let key = keyString(only.value) { return key }
        return arguments.keys.sorted().map { "\($0)=\(arguments[$0]?.jsonString ?? "null")" }.joined(separator: "&")
    }
}
