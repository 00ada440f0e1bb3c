import Synchronization

/// Incremental delivery of `@defer`red fragments (the GraphQL incremental delivery RFC, as
/// graphql-js 17 implements it for `@defer`): an initial payload without the deferred fragments,
/// announcing each as pending, then one payload per deferred fragment group.
///
/// Every object of one deferred fragment (the same `... @defer` reached under 50 patients) is
/// executed together, level by level, through a dispatcher: one downstream call per endpoint per
/// level for the group, as in the initial payload. With `ExecutionRequest.forkLoaders`, each group
/// has loaders of its own and the groups run concurrently — a payload is sent as soon as its group
/// is done, whatever the others wait for; without it they share the request's, one after another.
/// `@defer` inside a deferred fragment is announced by the payload that delivers its parent.
///
/// See https://github.com/graphql/graphql-spec/pull/742 and graphql-js 17's `experimentalExecuteIncrementally`.
public final class IncrementalExecution: @unchecked Sendable {
    /// One fragment announced to the client: its id, where its data goes, and its label.
    public struct Pending: Sendable {
        public let id: String
        public let path: [PathComponent]
        public let label: String?
    }

    /// What one deferred fragment delivered for one object, or one streamed list for its rest.
    public struct Delivered: Sendable {
        public let pending: Pending
        /// The fragment's fields as a JSON object, or the stream's items as a JSON list; `nil` when
        /// an error in a non-null position nulled it.
        public let data: [UInt8]?
        public let errors: [GraphQLError]
        /// For a stream: the index in the whole list of the first item delivered; `nil` for a fragment.
        public let firstIndex: Int?
    }

    /// A payload after the initial one.
    public struct Subsequent: Sendable {
        public let delivered: [Delivered]
        /// Fragments deferred inside the ones delivered, announced now.
        public let pending: [Pending]
        public let hasNext: Bool
    }

    /// Deferred work: a fragment for one object, or the rest of one streamed list.
    private enum Work: @unchecked Sendable {
        case fragment(DeferredRecord)
        case stream(StreamRecord)

        var state: ExecutionState {
            switch self {
            case .fragment(let record): record.state
            case .stream(let record): record.state
            }
        }

        /// For a stream, the index in the whole list of its first item still to send.
        var firstIndex: Int? {
            if case .stream(let record) = self { return record.firstIndex }
            return nil
        }

        /// What the records of one group share: the deferred fragment, or the streamed field.
        var groupIdentity: ObjectIdentifier {
            switch self {
            case .fragment(let record): ObjectIdentifier(record.fragment)
            case .stream(let record): ObjectIdentifier(record.group)
            }
        }
    }

    /// A group ready to run: every pending record of one deferred fragment, or of one streamed field.
    private struct Group: @unchecked Sendable {
        /// The state the first record was met in (the group's state continues it).
        let origin: ExecutionState
        let entries: [(work: Work, pending: Pending)]
    }

    /// The initial payload's `data` and `errors`.
    public let initial: ExecutionResult
    /// The fragments the initial payload announces.
    public private(set) var pending: [Pending] = []
    private let dispatcher: (any BatchDispatcher)?
    private let fork: (@Sendable () -> (context: any Sendable, dispatcher: any BatchDispatcher))?
    /// What is queued and running, and every state records refer to (records hold them unowned).
    /// What is queued, running, and finished but not yet taken by `next()`.
    private let state = Mutex<(queue: [(work: Work, pending: Pending)], running: Int, undelivered: Int, states: [ExecutionState], nextID: Int)>(
        ([], 0, 0, [], 0))
    /// Payloads of groups that finished, waiting for `next()`.
    private let (finished, finish) = AsyncStream<Subsequent>.makeStream()
    private var finishedIterator: AsyncStream<Subsequent>.Iterator

    /// Whether a payload is still to come.
    public var hasNext: Bool { self.state.withLock { !$0.queue.isEmpty || $0.running > 0 || $0.undelivered > 0 } }

    init(initial: ExecutionResult, state: ExecutionState?, request: ExecutionRequest) {
        self.initial = initial
        self.dispatcher = request.dispatcher
        self.fork = request.forkLoaders
        self.finishedIterator = self.finished.makeAsyncIterator()
        if let state, !state.dataIsNull {
            self.pending = self.announce(state)
        }
    }

    /// The next payload: the next group to finish (every queued group is started first); `nil`
    /// once everything is delivered. One caller at a time.
    public func next() async -> Subsequent? {
        guard self.hasNext else { return nil }
        if self.fork != nil {
            // Start every group queued so far; each sends its payload when done.
            while let group = self.takeGroup() {
                Task { await self.runAndAnnounce(group, yielding: true) }
            }
            let payload = await self.finishedIterator.next()
            self.state.withLock { $0.undelivered -= 1 }
            return payload
        }
        guard let group = self.takeGroup() else { return nil }
        return await self.runAndAnnounce(group, yielding: false)
    }

    /// Dequeues the records of the first queued fragment, counted as running.
    private func takeGroup() -> Group? {
        self.state.withLock { state in
            guard let first = state.queue.first?.work else { return nil }
            let identity = first.groupIdentity
            let entries = state.queue.filter { $0.work.groupIdentity == identity }
            state.queue.removeAll { $0.work.groupIdentity == identity }
            state.running += 1
            return Group(origin: first.state, entries: entries)
        }
    }

    /// Runs a group and makes its payload (announcing what is deferred inside it). Yielding (the
    /// concurrent case), the payload joins the finished ones under the same lock that decides its
    /// `hasNext`: the last payload taken is the one that says nothing follows.
    @discardableResult
    private func runAndAnnounce(_ group: Group, yielding: Bool) async -> Subsequent {
        let (delivered, state) = await self.run(group)
        let announced = self.announce(state)
        return self.state.withLock { state in
            state.running -= 1
            let payload = Subsequent(delivered: delivered, pending: announced, hasNext: !state.queue.isEmpty || state.running > 0)
            if yielding {
                state.undelivered += 1
                self.finish.yield(payload)
            }
            return payload
        }
    }

    private func run(_ group: Group) async -> ([Delivered], ExecutionState) {
        let loaders = self.fork?()
        let state = ExecutionState(continuing: group.origin, context: loaders?.context ?? group.origin.context)
        self.state.withLock { $0.states.append(state) }
        // The container root's children are the records' objects (fragments) or lists (streams).
        state.containerPaths = group.entries.map(\.pending.path)
        let start = state.result.allocateChildren(of: 0, count: group.entries.count, nonNull: false)
        state.result.nodes[0].kind = .list
        state.result.nodes[0].childStart = Int32(start)
        state.result.nodes[0].childCount = Int32(group.entries.count)
        state.containerIndexOffsets = group.entries.map { $0.work.firstIndex ?? 0 }
        for (offset, entry) in group.entries.enumerated() {
            let node = start + offset
            switch entry.work {
            case .fragment(let record):
                if !state.completeObject(node, record.fragment.plan, record.source) { state.result.setNull(node) }
            case .stream(let record):
                if !state.completeItems(node, record) { state.result.setNull(node) }
            }
        }
        await drainDeferred(state, dispatcher: loaders?.dispatcher ?? self.dispatcher)
        var delivered: [Delivered] = []
        for (offset, entry) in group.entries.enumerated() {
            let node = start + offset
            var data: [UInt8]?
            if state.result.nodes[node].kind != .null {
                var writer = JSONWriter(capacity: 512)
                state.result.write(node, plans: state.plans, to: &writer)
                data = writer.bytes
            }
            let errors = zip(state.errors, state.errorRecords).filter { $0.1 == offset }.map(\.0)
            delivered.append(Delivered(pending: entry.pending, data: data, errors: errors, firstIndex: entry.work.firstIndex))
        }
        return (delivered, state)
    }

    /// Queues the records `state` met on objects that are still in the response, with their ids.
    private func announce(_ state: ExecutionState) -> [Pending] {
        var work: [(Work, [PathComponent], String?)] = []
        for record in state.deferredRecords where !state.result.isDetached(record.node) {
            work.append((.fragment(record), state.path(of: record.node), record.fragment.label))
        }
        for record in state.streamRecords where !state.result.isDetached(record.node) {
            work.append((.stream(record), state.path(of: record.node), record.stream.label))
        }
        state.deferredRecords = []
        state.streamRecords = []
        return self.state.withLock { shared in
            if !shared.states.contains(where: { $0 === state }) { shared.states.append(state) }
            var announced: [Pending] = []
            for (entry, path, label) in work {
                let pending = Pending(id: String(shared.nextID), path: path, label: label)
                shared.nextID += 1
                shared.queue.append((entry, pending))
                announced.append(pending)
            }
            return announced
        }
    }
}

/// Executes a request delivering its `@defer`red fragments later: the initial result at once, the
/// rest from `IncrementalExecution.next()`. Without `@defer` in force it is `execute`'s answer.
public func executeIncrementally(_ request: ExecutionRequest) async -> IncrementalExecution {
    var request = request
    request.incrementalDelivery = true
    switch prepareExecution(request) {
    case .ready(let state):
        await run(state, rootValue: request.rootValue, dispatcher: request.dispatcher)
        return IncrementalExecution(initial: ExecutionResult(errors: state.errors, state: state), state: state, request: request)
    case .failed(let result):
        return IncrementalExecution(initial: result, state: nil, request: request)
    }
}
