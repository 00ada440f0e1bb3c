/// Everything one execution of one operation needs; lives for that execution only.
///
/// One execution runs on one task at a time and never overlaps accesses to its state, so the
/// hot stored properties skip dynamic exclusivity checks (they cost ~14% of execution).
final class ExecutionState {
    let schema: GraphQLSchema
    let operation: OperationDefinition
    let fragments: [String: FragmentDefinition]
    let variables: [String: Value]
    let rootValue: Value
    let context: (any Sendable)?
    let source: Source?
    let booleanType: GraphQLNamedType
    @exclusivity(unchecked) var result = ResultTree()
    @exclusivity(unchecked) var plans: [ObjectPlan] = []
    @exclusivity(unchecked) var errors: [GraphQLError] = []
    /// Fields whose value a resolver will deliver after the current level is dispatched.
    @exclusivity(unchecked) var deferred: [DeferredField] = []
    /// Set when a null reached the root: the response's `data` is null.
    var dataIsNull = false

    init(
        schema: GraphQLSchema, operation: OperationDefinition, fragments: [String: FragmentDefinition],
        variables: [String: Value], rootValue: Value, context: (any Sendable)?, source: Source?
    ) {
        self.schema = schema
        self.operation = operation
        self.fragments = fragments
        self.variables = variables
        self.rootValue = rootValue
        self.context = context
        self.source = source
        self.booleanType = schema.typeMap["Boolean"]!
    }

    /// Records a field error at a node's path, located at the group's field nodes.
    func recordError(_ message: String, node: Int, group: FieldGroup, extensions: [String: Value] = [:]) {
        let locations = self.source.map { source in group.fields.map { source.location(of: $0.location.start) } } ?? []
        self.errors.append(
            GraphQLError(message, locations: locations, path: self.result.path(of: node, plans: self.plans), extensions: extensions))
    }

    func recordError(_ error: any Error, node: Int, group: FieldGroup) {
        if let graphQLError = error as? GraphQLError {
            self.recordError(graphQLError.message, node: node, group: group, extensions: graphQLError.extensions)
        } else {
            self.recordError(String(describing: error), node: node, group: group)
        }
    }
}

/// A field waiting for a pending or asynchronous value.
struct DeferredField {
    enum Work {
        case pending(PendingValue)
        case async(@Sendable () async throws -> Value)
    }

    let node: Int
    let group: FieldGroup
    let work: Work
}
