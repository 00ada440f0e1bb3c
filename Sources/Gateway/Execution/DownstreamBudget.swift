import GraphQLEngine

/// The most downstream calls an operation can make, computed from the document and the
/// schema's `@fetch` plans before anything is called: one call per distinct endpoint per
/// level, plus one per root mutation.
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
                    endpoints[depth, default: []].insert(plan.loaderKey)
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
