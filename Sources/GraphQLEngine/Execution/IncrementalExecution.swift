/// Incremental delivery of `@defer`red fragments (the GraphQL incremental delivery RFC, as
/// graphql-js 17 implements it for `@defer`): an initial payload without the deferred fragments,
/// announcing each as pending, then one payload per deferred fragment group.
///
/// Every object of one deferred fragment (the same `... @defer` reached under 50 patients) is
/// executed together, level by level, through the request's dispatcher: one downstream call per
/// endpoint per level for the group, as in the initial payload. Groups run one after another, in
/// the order the document meets them; `@defer` inside a deferred fragment announces new pending
/// fragments in the payload that delivers its parent.
///
/// See https://github.com/graphql/graphql-spec/pull/742 and graphql-js 17's `experimentalExecuteIncrementally`.
public final class IncrementalExecution: @unchecked Sendable {
    /// One fragment announced to the client: its id, where its data goes, and its label.
    public struct Pending: Sendable {
        public let id: String
        public let path: [PathComponent]
        public let label: String?
    }

    /// What one deferred fragment delivered for one object.
    public struct Delivered: Sendable {
        public let pending: Pending
        /// The fragment's fields as a JSON object; `nil` when an error in a non-null field nulled it.
        public let data: [UInt8]?
        public let errors: [GraphQLError]
    }

    /// A payload after the initial one.
    public struct Subsequent: Sendable {
        public let delivered: [Delivered]
        /// Fragments deferred inside the ones delivered, announced now.
        public let pending: [Pending]
        public let hasNext: Bool
    }

    /// The initial payload's `data` and `errors`.
    public let initial: ExecutionResult
    /// The fragments the initial payload announces.
    public private(set) var pending: [Pending] = []
    private var queue: [(record: DeferredRecord, pending: Pending)] = []
    /// Every state records refer to (records hold them unowned).
    private var states: [ExecutionState] = []
    private let dispatcher: (any BatchDispatcher)?
    private var nextID = 0

    /// Whether a payload is still to come.
    public var hasNext: Bool { !self.queue.isEmpty }

    init(initial: ExecutionResult, state: ExecutionState?, dispatcher: (any BatchDispatcher)?) {
        self.initial = initial
        self.dispatcher = dispatcher
        if let state, !state.dataIsNull {
            self.states.append(state)
            self.pending = self.announce(state)
        }
    }

    /// Runs the next deferred group and returns its payload; `nil` once everything is delivered.
    public func next() async -> Subsequent? {
        guard let first = self.queue.first else { return nil }
        let fragment = first.record.fragment
        let batch = self.queue.filter { $0.record.fragment === fragment }
        self.queue.removeAll { $0.record.fragment === fragment }
        let state = ExecutionState(continuing: first.record.state)
        self.states.append(state)
        state.containerPaths = batch.map(\.pending.path)
        let start = state.result.allocateChildren(of: 0, count: batch.count, nonNull: false)
        state.result.nodes[0].kind = .list
        state.result.nodes[0].childStart = Int32(start)
        state.result.nodes[0].childCount = Int32(batch.count)
        for (offset, entry) in batch.enumerated() where !state.completeObject(start + offset, fragment.plan, entry.record.source) {
            state.result.setNull(start + offset)
        }
        await drainDeferred(state, dispatcher: self.dispatcher)
        var delivered: [Delivered] = []
        for (offset, entry) in batch.enumerated() {
            let node = start + offset
            var data: [UInt8]?
            if state.result.nodes[node].kind != .null {
                var writer = JSONWriter(capacity: 512)
                state.result.write(node, plans: state.plans, to: &writer)
                data = writer.bytes
            }
            let errors = zip(state.errors, state.errorRecords).filter { $0.1 == offset }.map(\.0)
            delivered.append(Delivered(pending: entry.pending, data: data, errors: errors))
        }
        let announced = self.announce(state)
        return Subsequent(delivered: delivered, pending: announced, hasNext: self.hasNext)
    }

    /// Queues the records `state` met on objects that are still in the response, with their ids.
    private func announce(_ state: ExecutionState) -> [Pending] {
        var announced: [Pending] = []
        for record in state.deferredRecords where !state.result.isDetached(record.node) {
            let pending = Pending(id: String(self.nextID), path: state.path(of: record.node), label: record.fragment.label)
            self.nextID += 1
            self.queue.append((record, pending))
            announced.append(pending)
        }
        state.deferredRecords = []
        return announced
    }
}

/// Executes a request delivering its `@defer`red fragments later: the initial result at once, the
/// rest from `IncrementalExecution.next()`. Without `@defer` in force it is `execute`'s answer.
public func executeIncrementally(_ request: ExecutionRequest) async -> IncrementalExecution {
    var request = request
    request.incrementalDelivery = true
    switch prepareExecution(request) {
    case .ready(let state):
        await run(state, request)
        return IncrementalExecution(initial: ExecutionResult(errors: state.errors, state: state), state: state, dispatcher: request.dispatcher)
    case .failed(let result):
        return IncrementalExecution(initial: result, state: nil, dispatcher: nil)
    }
}
