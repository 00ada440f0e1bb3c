/// What to execute: a validated document, the operation to run, and its inputs.
public struct ExecutionRequest: @unchecked Sendable {
    public var schema: GraphQLSchema
    public var document: Document
    public var operationName: String?
    /// The request's raw variable values (coerced against the operation's definitions).
    public var variables: [String: Value]
    public var rootValue: Value
    /// The host's per-request context, handed to resolvers in `ResolveInfo.context`.
    public var context: (any Sendable)?
    /// Loads the values that resolvers left pending, once per level.
    public var dispatcher: (any BatchDispatcher)?
    /// The document's source, for error locations.
    public var source: Source?
    /// Where compiled plans of this document are kept between executions (`nil`: compiled each time).
    public var plans: PlanCache?
    /// Deliver `@defer`red fragments in later payloads (`executeIncrementally`); when false, `@defer`
    /// is ignored and everything comes at once, as the incremental delivery RFC allows.
    public var incrementalDelivery = false
    /// A context and dispatcher of their own for one deferred group, so groups run concurrently (a
    /// slow one does not hold the others); `nil`: groups share the request's and run in turn.
    public var forkLoaders: (@Sendable () -> (context: any Sendable, dispatcher: any BatchDispatcher))?

    public init(
        schema: GraphQLSchema, document: Document, operationName: String? = nil, variables: [String: Value] = [:],
        rootValue: Value = .null, context: (any Sendable)? = nil, dispatcher: (any BatchDispatcher)? = nil,
        source: Source? = nil, plans: PlanCache? = nil
    ) {
        self.plans = plans
        self.schema = schema
        self.document = document
        self.operationName = operationName
        self.variables = variables
        self.rootValue = rootValue
        self.context = context
        self.dispatcher = dispatcher
        self.source = source
    }
}

/// Executes a request: selects the operation, coerces variables, and executes its selection set.
///
/// Resolvers run depth first; batched fields (`GraphQLField.batchResolve`) are resolved once per
/// level for all their parents when the walk of the level is done; values left pending are loaded
/// by the request's dispatcher then, and execution continues below them. So every key of one
/// level reaches its loader before the loader is dispatched.
///
/// See https://spec.graphql.org/October2021/#sec-Execution
public func execute(_ request: ExecutionRequest) async -> ExecutionResult {
    switch prepareExecution(request) {
    case .ready(let state):
        await run(state, rootValue: request.rootValue, dispatcher: request.dispatcher)
        return ExecutionResult(errors: state.errors, state: state)
    case .failed(let result):
        return result
    }
}

/// Executes the operation's selection set on a prepared state. (The request's two values it needs
/// come alone: an async function keeps its arguments in its frame, and the whole request is a
/// dozen references to copy.) A query whose walk parks nothing is done without a further
/// asynchronous call.
@inline(__always)
func run(_ state: ExecutionState, rootValue: Value, dispatcher: (any BatchDispatcher)?) async {
    if state.operation.operation == .mutation {
        await runMutation(state, rootValue: rootValue, dispatcher: dispatcher)
    } else if !state.walkRoot(rootValue) {
        await drainDeferred(state, dispatcher: dispatcher)
    }
}

extension ExecutionState {
    /// Walks the root selection set; `true` when nothing was parked for a later level.
    func walkRoot(_ rootValue: Value) -> Bool {
        if !self.completeObject(0, self.compiled.root, rootValue) { self.dataIsNull = true }
        return self.deferred.isEmpty && self.buckets.isEmpty
    }
}

/// Mutations run their root fields one after another, each to completion.
func runMutation(_ state: ExecutionState, rootValue: Value, dispatcher: (any BatchDispatcher)?) async {
    let plan = state.compiled.root
    let start = state.result.allocateChildren(of: 0, count: plan.groupCount, nonNull: false)
    state.result.nodes[0] = ResultTree.Node(
        kind: .object, isNonNull: false, parent: -1, childStart: Int32(start), childCount: Int32(plan.groupCount),
        plan: plan.index)
    for (offset, group) in plan.groups.enumerated() {
        state.result.nodes[start + offset].isNonNull = group.definition.type.isNonNull
        if !state.executeField(start + offset, group, rootValue) {
            state.dataIsNull = true
            break
        }
        await drainDeferred(state, dispatcher: dispatcher)
        if state.dataIsNull { break }
    }
}

/// Executes a request whose resolvers all answer synchronously (no `.pending`, no `.async`):
/// the fast path for tools and in-memory data.
public func executeSync(_ request: ExecutionRequest) -> ExecutionResult {
    let state: ExecutionState
    switch prepareExecution(request) {
    case .ready(let prepared): state = prepared
    case .failed(let result): return result
    }
    if !state.completeObject(0, state.compiled.root, request.rootValue) { state.dataIsNull = true }
    // Batch resolvers that answer at once, level by level; a slot left for a loader cannot be loaded here.
    while !state.buckets.isEmpty {
        for bucket in state.takeBuckets() {
            let batch = state.resolve(bucket)
            batch.failOpen(GraphQLError("Field \(quoted: "\(bucket.group.definition.name)") resolved asynchronously in a synchronous execution."))
            state.resume(bucket, batch)
        }
    }
    for field in state.deferred {
        state.resume(
            field.node, field.group,
            with: .failure(GraphQLError("Field \(quoted: "\(field.group.definition.name)") resolved asynchronously in a synchronous execution.")))
    }
    return ExecutionResult(errors: state.errors, state: state)
}

/// Runs waves (levels) until nothing is left: batch resolvers once per field, the loaders
/// dispatched once, async work, then every parked field resumed.
func drainDeferred(_ state: ExecutionState, dispatcher: (any BatchDispatcher)?) async {
    while !state.deferred.isEmpty || !state.buckets.isEmpty {
        let wave = state.deferred
        state.deferred = []
        let batches = state.takeBuckets().map { ($0, state.resolve($0)) }
        let waitsForLoaders = batches.contains { $0.1.hasOpenSlots } || wave.contains { if case .pending = $0.work { true } else { false } }
        if let dispatcher, waitsForLoaders {
            await dispatcher.dispatch()
        }
        // Results by position in the wave; one piece of async work (a mutation) runs inline.
        var asyncResults = [Result<Value, any Error>?](repeating: nil, count: wave.count)
        let asyncWork = wave.enumerated().compactMap { index, field -> (Int, @Sendable () async throws -> Value)? in
            if case .async(let work) = field.work { return (index, work) }
            return nil
        }
        if asyncWork.count == 1, let (index, work) = asyncWork.first {
            do { asyncResults[index] = .success(try await work()) } catch { asyncResults[index] = .failure(error) }
        } else if !asyncWork.isEmpty {
            await withTaskGroup(of: (Int, Result<Value, any Error>).self) { group in
                for (index, work) in asyncWork {
                    group.addTask {
                        do { return (index, .success(try await work())) } catch { return (index, .failure(error)) }
                    }
                }
                for await (index, result) in group { asyncResults[index] = result }
            }
        }
        for (index, field) in wave.enumerated() {
            switch field.work {
            case .pending(let pending):
                state.resume(
                    field.node, field.group,
                    with: pending.result ?? .failure(GraphQLError("The value of field \(quoted: "\(field.group.definition.name)") was never loaded.")))
            case .async:
                state.resume(
                    field.node, field.group,
                    with: asyncResults[index] ?? .failure(GraphQLError("The value of field \(quoted: "\(field.group.definition.name)") was never delivered.")))
            }
        }
        for (bucket, batch) in batches { state.resume(bucket, batch) }
    }
}

enum Preparation {
    case ready(ExecutionState)
    case failed(ExecutionResult)
}

func prepareExecution(_ request: ExecutionRequest) -> Preparation {
    // The operation, found without building the document's list of operations.
    var found: OperationDefinition?
    var operationCount = 0
    for case .operation(let candidate) in request.document.definitions {
        if let name = request.operationName {
            if candidate.name?.value == name {
                found = candidate
                break
            }
        } else {
            operationCount += 1
            if found == nil { found = candidate }
        }
    }
    let operation: OperationDefinition
    if let name = request.operationName {
        guard let found else {
            return .failed(ExecutionResult(requestErrors: [GraphQLError("Unknown operation named \(quoted: "\(name)").")]))
        }
        operation = found
    } else {
        guard let found else {
            return .failed(ExecutionResult(requestErrors: [GraphQLError("Must provide an operation.")]))
        }
        guard operationCount == 1 else {
            return .failed(
                ExecutionResult(requestErrors: [GraphQLError("Must provide operation name if query contains multiple operations.")]))
        }
        operation = found
    }
    let variables: [String: Value]
    switch Values.coerceVariables(request.schema, operation.variableDefinitions, request.variables, source: request.source) {
    case .success(let coerced): variables = coerced
    case .failure(let failure): return .failed(ExecutionResult(requestErrors: failure.errors))
    }
    guard let rootType = request.schema.rootType(for: operation.operation) else {
        return .failed(
            ExecutionResult(
                errors: [GraphQLError("Schema is not configured to execute \(operation.operation.rawValue) operation.")], state: nil))
    }
    // Mutations' and subscriptions' root fields are never deferred (validation refuses it there).
    let defers = request.incrementalDelivery && operation.operation == .query
    // Compiled whole, sub-plans of object-typed fields included, whether kept for later executions
    // or not: compiling them as one execution reaches them cost each object a look-up of its plan
    // (measured: the kitchen sink's plan-and-execute 16% slower that way). The closure takes the
    // values it needs, not the request (a dozen references to copy).
    let (schema, document) = (request.schema, request.document)
    let compile = {
        PlanCompiler.compile(
            operation, rootType: rootType, schema: schema, fragments: document.fragments, variables: variables, defersFragments: defers)
    }
    let compiled = request.plans?.compiled(
        request.operationName, defersFragments: defers, schema: request.schema, variables: variables, compile: compile) ?? compile()
    return .ready(
        ExecutionState(
            schema: request.schema, operation: operation, fragments: compiled.fragments, variables: variables,
            rootValue: request.rootValue, context: request.context, source: request.source, compiled: compiled))
}
