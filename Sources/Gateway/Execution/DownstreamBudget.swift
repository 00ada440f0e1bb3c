import GraphQLEngine

/// The downstream calls an operation will make as far as the document tells, computed from it and
/// the schema's `@fetch` plans before anything is called, on the loaders' model: per level, one call
/// per batched endpoint (service, path, batch parameter, match key) whatever fields share it, one
/// per distinct unbatched field (its path and arguments as written: aliases with other arguments
/// are other calls), one per root mutation. An operation over the limit is refused before any
/// call; what the document cannot tell (keys past one batch, an unbatched field under a list) is
/// held to the limit while it runs, by the request's `DownstreamCallBudget`.
struct DownstreamBudget {
    let gatewaySchema: GatewaySchema
    let fragments: [String: FragmentDefinition]

    func upperBound(_ operation: OperationDefinition) -> Int {
        guard let root = self.gatewaySchema.schema.rootType(for: operation.operation) else { return 0 }
        var endpointsByDepth: [Int: Set<String>] = [:]
        var mutations = 0
        var visited = Set<String>()
        self.walk(operation.selectionSet, root, depth: 0, &endpointsByDepth, &mutations, &visited)
        return endpointsByDepth.values.reduce(0) { $0 + $1.count } + mutations
    }

    /// An unbatched field's call as the document writes it: its URL template and its arguments.
    private static func call(_ plan: FetchPlan, _ field: Field) -> String {
        let arguments = field.arguments.map { "\($0.name.value):\(Printer.print($0.value))" }.sorted().joined(separator: ",")
        return "\(plan.service) \(plan.path) (\(arguments))"
    }

    private func walk(
        _ selectionSet: SelectionSet, _ type: GraphQLNamedType, depth: Int, _ endpoints: inout [Int: Set<String>],
        _ mutations: inout Int, _ visited: inout Set<String>
    ) {
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                guard let definition = type.field(field.name.value) else { continue }
                let id = ObjectIdentifier(definition)
                var childDepth = depth
                if let plan = self.gatewaySchema.fetchPlans[id] {
                    endpoints[depth, default: []].insert(plan.batchParam != nil || plan.subgraph != nil ? plan.endpoint : Self.call(plan, field))
                    childDepth = depth + 1
                } else if self.gatewaySchema.mutationPlans[id] != nil {
                    mutations += 1
                    childDepth = depth + 1
                }
                if let inner = field.selectionSet {
                    let innerType = definition.type.namedType
                    let targets = innerType.isAbstract ? self.gatewaySchema.schema.possibleTypes(of: innerType) : [innerType]
                    for target in targets { self.walk(inner, target, depth: childDepth, &endpoints, &mutations, &visited) }
                }
            case .inlineFragment(let fragment):
                let target = fragment.typeCondition.flatMap { self.gatewaySchema.schema.type(named: $0.value) } ?? type
                self.walk(fragment.selectionSet, target.kind == .object ? target : type, depth: depth, &endpoints, &mutations, &visited)
            case .fragmentSpread(let spread):
                guard let fragment = self.fragments[spread.name.value], visited.insert("\(spread.name.value)@\(depth)").inserted else {
                    continue
                }
                let target = self.gatewaySchema.schema.type(named: fragment.typeCondition.value) ?? type
                self.walk(fragment.selectionSet, target.kind == .object ? target : type, depth: depth, &endpoints, &mutations, &visited)
            }
        }
    }
}
