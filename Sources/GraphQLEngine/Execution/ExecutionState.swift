import Synchronization

/// Everything one execution of one operation needs; lives for that execution only.
///
/// One execution (or one deferred group of it) runs on one task at a time and never overlaps
/// accesses to its state, so the hot stored properties skip dynamic exclusivity checks (they cost
/// ~14% of execution); a deferred group's task takes it over once the one before is done with it.
final class ExecutionState: @unchecked Sendable {
    let schema: GraphQLSchema
    let operation: OperationDefinition
    let fragments: [String: FragmentDefinition]
    let variables: [String: Value]
    let rootValue: Value
    let context: (any Sendable)?
    let source: Source?
    @exclusivity(unchecked) var result: ResultTree
    /// The compiled operation's plans, then those this execution compiled itself (abstract types'
    /// sub-selections for the types its data has).
    @exclusivity(unchecked) var plans: [ObjectPlan]
    @exclusivity(unchecked) var groupCount: Int
    /// Coerced arguments of groups whose arguments read variables: by group id, the position in
    /// `coercedArguments` (-1: none yet). A table of plain integers (an array of optional results,
    /// one per group, was filled and destroyed element by element through generic witnesses).
    @exclusivity(unchecked) var argumentSlots: [Int32] = []
    @exclusivity(unchecked) var coercedArguments: [Result<[String: Value], GraphQLError>] = []
    /// Plans this execution compiled, by (group id, object type).
    @exclusivity(unchecked) var lazyPlans: [LazyPlanKey: ObjectPlan] = [:]
    @exclusivity(unchecked) var lastLazyPlan: (group: Int32, plan: ObjectPlan)?
    /// Of those, the plans of groups returning an object type (one type: no hash per object), by
    /// group id.
    @exclusivity(unchecked) var objectPlanOfGroup: [ObjectPlan?] = []
    /// Of those, by object type and selection sets: groups that select the same sets on the same
    /// type share one plan, across this execution's compilations too.
    @exclusivity(unchecked) var knownPlans = KnownPlans()
    @exclusivity(unchecked) var errors: [GraphQLError] = []
    /// Fields whose value a resolver will deliver after the current level is dispatched.
    @exclusivity(unchecked) var deferred: [DeferredField] = []
    /// Parents of batched fields reached in the current level, one bucket per field group.
    @exclusivity(unchecked) var buckets: [BatchBucket] = []
    /// By group id: the group's bucket in `buckets`, plus one (0: none yet this level).
    @exclusivity(unchecked) var bucketOfGroup: [Int32] = []
    /// Set when a null reached the root: the response's `data` is null.
    var dataIsNull = false
    /// `@defer`red fragments met on completed objects, in document order, for later payloads.
    @exclusivity(unchecked) var deferredRecords: [DeferredRecord] = []
    /// `@stream`ed lists met, with the items still to send, for later payloads.
    @exclusivity(unchecked) var streamRecords: [StreamRecord] = []
    /// For a stream group's execution: by record, the index in the whole list of its first item.
    var containerIndexOffsets: [Int]?
    /// For a deferred group's execution: the path of each record under the container root (the
    /// root's children are the records' objects; their paths are where those objects are in `data`).
    var containerPaths: [[PathComponent]]?
    /// For a deferred group's execution: the record each error belongs to, by position in `errors`.
    var errorRecords: [Int] = []

    let compiled: CompiledOperation

    /// A state for more of the same execution (a deferred group): same inputs and plans, a new result.
    convenience init(continuing state: ExecutionState, context: (any Sendable)?) {
        self.init(
            schema: state.schema, operation: state.operation, fragments: state.fragments, variables: state.variables,
            rootValue: state.rootValue, context: context, source: state.source, compiled: state.compiled)
        self.plans = state.plans
        self.groupCount = state.groupCount
        self.lazyPlans = state.lazyPlans
        self.objectPlanOfGroup = state.objectPlanOfGroup
        self.knownPlans = state.knownPlans
    }

    init(
        schema: GraphQLSchema, operation: OperationDefinition, fragments: [String: FragmentDefinition],
        variables: [String: Value], rootValue: Value, context: (any Sendable)?, source: Source?, compiled: CompiledOperation
    ) {
        self.compiled = compiled
        // The last execution's sizes, or for a plan's first, one position per field group (each
        // group makes a position per object it completes: the least a result of this plan holds).
        let nodesHint = compiled.resultNodesHint.load(ordering: .relaxed)
        let leavesHint = compiled.resultLeavesHint.load(ordering: .relaxed)
        let firstGuess = max(compiled.groupCount + 1, 16)
        self.result = ResultTree(expectedNodes: nodesHint > 0 ? nodesHint : firstGuess, expectedLeaves: leavesHint > 0 ? leavesHint : firstGuess)
        self.plans = compiled.plans
        self.groupCount = compiled.groupCount
        self.schema = schema
        self.operation = operation
        self.fragments = fragments
        self.variables = variables
        self.rootValue = rootValue
        self.context = context
        self.source = source
    }

    /// Records a field error at a node's path, located at the group's field nodes.
    func recordError(_ message: String, node: Int, group: FieldGroup, extensions: [String: Value] = [:]) {
        let locations = self.source.map { source in group.fields.map { source.location(of: $0.location.start) } } ?? []
        let treePath = self.result.path(of: node, plans: self.plans)
        self.errors.append(GraphQLError(message, locations: locations, path: self.responsePath(treePath), extensions: extensions))
        if self.containerPaths != nil, case .index(let record)? = treePath.first {
            self.errorRecords.append(record)
        }
    }

    /// A node's path in the response's `data` (in a deferred group: through its record's object).
    func path(of node: Int) -> [PathComponent] {
        self.responsePath(self.result.path(of: node, plans: self.plans))
    }

    /// A path in the result tree as a path in `data`: a deferred group's container index replaced by
    /// its record's path (and a streamed item's index counted in the whole list).
    private func responsePath(_ path: [PathComponent]) -> [PathComponent] {
        guard let containerPaths = self.containerPaths, case .index(let record)? = path.first, record < containerPaths.count else { return path }
        var rest = Array(path.dropFirst())
        // A streamed list's items are numbered from where the list's first part stopped.
        if let offsets = self.containerIndexOffsets, record < offsets.count, case .index(let item)? = rest.first {
            rest[0] = .index(item + offsets[record])
        }
        return containerPaths[record] + rest
    }

    func recordError(_ error: any Error, node: Int, group: FieldGroup) {
        if let graphQLError = error as? GraphQLError {
            self.recordError(graphQLError.message, node: node, group: group, extensions: graphQLError.extensions)
        } else {
            self.recordError(String(describing: error), node: node, group: group)
        }
    }
}

/// An abstract-typed group's plan for one object type, compiled by one execution.
struct LazyPlanKey: Hashable {
    let group: Int32
    let type: ObjectIdentifier
}

extension ExecutionState {
    /// The plan of a group's sub-selections for a concrete object type: compiled with the
    /// operation for object-typed fields, else compiled here once per (group, type).
    @inline(__always)
    func subPlan(_ group: FieldGroup, _ type: GraphQLNamedType) -> ObjectPlan {
        if let plan = group.objectSubPlan { return plan }
        let id = Int(group.id)
        let returnsObject = group.returnsObjectType
        if returnsObject, id < self.objectPlanOfGroup.count, let plan = self.objectPlanOfGroup[id] { return plan }
        if let last = self.lastLazyPlan, last.group == group.id, last.plan.type === type { return last.plan }
        let key = LazyPlanKey(group: group.id, type: ObjectIdentifier(type))
        let plan: ObjectPlan
        if !returnsObject, let cached = self.lazyPlans[key] {
            plan = cached
        } else {
            plan = self.compilePlan(type, group.subSelections)
            if returnsObject {
                if id >= self.objectPlanOfGroup.count {
                    self.objectPlanOfGroup.append(contentsOf: repeatElement(nil, count: id + 1 - self.objectPlanOfGroup.count))
                }
                self.objectPlanOfGroup[id] = plan
            } else {
                self.lazyPlans[key] = plan
            }
        }
        self.lastLazyPlan = (group.id, plan)
        return plan
    }

    /// The plan of `selections` on `type`: one compiled before for the same sets, or a new one.
    private func compilePlan(_ type: GraphQLNamedType, _ selections: PlanSelections) -> ObjectPlan {
        if let plan = self.knownPlans.plan(type, selections) { return plan }
        // The table moves into the compiler and back (held in two places, it would be copied).
        let known = self.knownPlans
        self.knownPlans = KnownPlans()
        var compiler = PlanCompiler(
            schema: self.schema, fragments: self.fragments, variables: self.variables, defersFragments: self.compiled.defersFragments,
            firstPlanIndex: self.plans.count, firstGroupID: self.groupCount, knownPlans: known)
        let plan = compiler.plan(type, selections, depth: 0)
        self.plans.append(contentsOf: compiler.plans)
        self.groupCount = Int(compiler.groupCount)
        self.knownPlans = compiler.knownPlans
        return plan
    }
}

/// A deferred fragment to execute for one object: the state and node the object was completed in,
/// and the value it was completed from.
struct DeferredRecord: @unchecked Sendable {
    let fragment: DeferredFragment
    /// Kept alive by the `IncrementalExecution` that runs the record (unowned: no cycle through
    /// the state's own list of records).
    unowned let state: ExecutionState
    let node: Int
    let source: Value
}

/// A `@stream`ed list whose items past `initialCount` are still to send: the list's node and state,
/// the items, and the index of the first of them in the whole list.
struct StreamRecord: @unchecked Sendable {
    let stream: StreamPlan
    let group: FieldGroup
    /// The items' level in the group's type wrappers.
    let itemLevel: Int
    unowned let state: ExecutionState
    let node: Int
    let items: [Value]
    let firstIndex: Int
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
