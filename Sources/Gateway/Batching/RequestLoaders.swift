import GraphQLEngine
import Synchronization
import Tracing

/// The request's loaders: each field's batch resolver queues its parents' keys (batched fields) or
/// URLs (unbatched ones) once the executor has walked a level; `dispatch()` then loads the level
/// in stages, each in its own file:
///
/// 1. cache tiers (`+CacheTiers`): the in-process store answers inline, then the remote store;
/// 2. fetch and match (`+Fetch`): one call per endpoint — (service, path, batch parameter, match
///    key) — per level for every field that shares it, keys de-duplicated and chunked at the batch
///    size, items matched back by key in any order; an unbatched URL is one call however many
///    fields ask for it; every call is taken from the request's `DownstreamCallBudget`;
/// 3. access check and audit (`+Delivery`): `@auth` on the returned data, patients noted;
/// 4. cache write (`+CacheTiers`): each field's entries under its own policy and tags.
///
/// Made per request (a loader shared across principals would leak PHI).
public final class RequestLoaders: BatchDispatcher, @unchecked Sendable {
    struct SingleCall {
        let service: String
        var waiters: [(BatchSlot, FetchPlan)] = []
    }

    /// An unbatched call the in-process cache did not answer: its URL, cache key (`nil`: not
    /// cached) and any expired entry still in its grace period.
    struct PendingCall: Sendable {
        let call: SingleCall
        let url: String
        let cacheKey: String?
        let stale: Value?
    }

    let client: DownstreamClient
    let headers: ForwardedHeaders
    let maxBatchSize: Int
    let cache: ResolverCache?
    /// Who the request runs for: ownership is checked against it, PRIVATE entries keyed by its hash.
    let principal: Principal
    let cacheScope: String
    /// Whether to note the patients each response holds (for the audit log only).
    let recordsOwners: Bool
    /// The calls the request may still make; `nil`: no limit.
    let budget: DownstreamCallBudget?
    /// The level's queues by plan index (an array: no hashing per resolved field), and its single calls.
    private let state = Mutex<(queues: [LoaderQueue?], calls: [String: SingleCall])>(([], [:]))
    /// The level's subgraph queues, one per (field, selection), in the order they were made.
    private let subgraphQueues = Mutex<(queues: [LoaderQueue], index: [SubgraphQueueKey: Int])>(([], [:]))
    /// Held while a single call's answer is delivered (they run concurrently; see `fill(_:shaped:)`).
    let singleCallDeliveries = Mutex<Void>(())
    /// Each subgraph field's selection, printed once per request, by (field node, parent type).
    private let subgraphSelections = Mutex<[SelectionKey: SubgraphSelection]>([:])

    /// A subgraph queue's identity: the field's plan and the selection asked of it.
    struct SubgraphQueueKey: Hashable {
        let plan: Int
        let fingerprint: String
    }

    struct SelectionKey: Hashable {
        let offset: Int
        let parentType: String
        let responseKey: String
    }
    /// Downstream calls made, by service (for the response receipt).
    public let statistics = Mutex<DownstreamStatistics>(DownstreamStatistics())
    /// The traced execution: batches answered in process are counted, the rest runs under its span.
    private let tracing: ExecutionTracing?

    public init(
        client: DownstreamClient, headers: ForwardedHeaders, principal: Principal = .anonymous, maxBatchSize: Int = 100, cache: ResolverCache? = nil,
        recordsOwners: Bool = true, tracing: ExecutionTracing? = nil, budget: DownstreamCallBudget? = nil
    ) {
        self.tracing = tracing
        self.recordsOwners = recordsOwners
        self.client = client
        self.headers = headers
        self.maxBatchSize = max(1, maxBatchSize)
        self.cache = cache
        self.principal = principal
        self.cacheScope = principal.cacheScope
        self.budget = budget
    }

    /// Queues each parent's key on the plan's loader; the values arrive in `batch` when the level
    /// is dispatched.
    func load(_ plan: FetchPlan, keys: [(index: Int, key: String)], into batch: FieldBatch) {
        guard !keys.isEmpty else { return }
        let isNewQueue = self.state.withLock { state in
            // A queue per field (its cache policy, tags and access rule are its own); the fields of
            // one endpoint are grouped into one call when the level is dispatched.
            if plan.index < state.queues.count, let queue = state.queues[plan.index] {
                queue.add(keys, to: batch)
                return false
            }
            let queue = LoaderQueue(plan: plan)
            queue.add(keys, to: batch)
            if plan.index >= state.queues.count { state.queues.append(contentsOf: repeatElement(nil, count: plan.index - state.queues.count + 1)) }
            state.queues[plan.index] = queue
            return true
        }
        if isNewQueue { self.statistics.withLock { $0.httpCache.include(plan.cache) } }
    }

    /// Queues an unbatched call of one URL per parent; identical URLs of a level share one call.
    func load(_ plan: FetchPlan, urls: [(index: Int, url: String)], into batch: FieldBatch) {
        guard !urls.isEmpty else { return }
        self.statistics.withLock { $0.httpCache.include(plan.cache) }
        self.state.withLock { state in
            for (index, url) in urls {
                state.calls["\(plan.service) \(url)", default: SingleCall(service: plan.service)].waiters.append((batch.slot(index), plan))
            }
        }
    }

    /// Queues the entities (or root field arguments) of a subgraph field with its selection;
    /// fields of one subgraph entity type share one `_entities` call per level.
    func load(_ plan: FetchPlan, keys: [(index: Int, key: String)], selection: SubgraphSelection, into batch: FieldBatch) {
        guard !keys.isEmpty else { return }
        let id = SubgraphQueueKey(plan: plan.index, fingerprint: selection.fingerprint)
        let isNewQueue = self.subgraphQueues.withLock { state in
            if let at = state.index[id] {
                state.queues[at].add(keys, to: batch)
                return false
            }
            let queue = LoaderQueue(plan: plan, selection: selection)
            queue.add(keys, to: batch)
            state.index[id] = state.queues.count
            state.queues.append(queue)
            return true
        }
        if isNewQueue { self.statistics.withLock { $0.httpCache.include(plan.cache) } }
    }

    /// The selection of the subgraph field at `info`, printed by `make` the first time this request needs it.
    func subgraphSelection(_ info: ResolveInfo, _ make: () throws -> SubgraphSelection) throws -> SubgraphSelection {
        let key = SelectionKey(offset: info.firstFieldNode.location.start, parentType: info.parentType.name, responseKey: info.responseKey)
        if let known = self.subgraphSelections.withLock({ $0[key] }) { return known }
        let made = try make()
        self.subgraphSelections.withLock { $0[key] = made }
        return made
    }

    /// Loads the level: what the in-process cache holds is delivered inline; the rest (remote cache
    /// lookups and downstream calls) runs concurrently, one task per endpoint and per URL. A level
    /// answered wholly in process starts no task.
    public func dispatch() async {
        var (queues, calls) = self.state.withLock { state in
            let taken = (state.queues.compactMap { $0 }, state.calls)
            state.queues = []
            state.calls = [:]
            return taken
        }
        queues += self.subgraphQueues.withLock { state in
            defer { state = ([], [:]) }
            return state.queues
        }
        var batches: [EndpointBatch] = []
        var level = LevelTally()
        for group in EndpointBatch.grouped(queues) {
            let keyCount = EndpointBatch.distinctKeyCount(group)
            level.batches += (keyCount + self.maxBatchSize - 1) / self.maxBatchSize
            GatewayMetrics.loaderBatch(service: group[0].plan.service, keys: keyCount)
            let lanes = group.map { self.answerInProcess($0, tally: &level) }.filter { !$0.positions.isEmpty }
            if !lanes.isEmpty { batches.append(EndpointBatch(lanes: lanes)) }
        }
        var pendingCalls: [PendingCall] = []
        for (id, call) in calls {
            let url = String(id.dropFirst(call.service.count + 1))
            if let pending = self.answerInProcess(call, url: url, tally: &level) { pendingCalls.append(pending) }
        }
        // What the in-process cache answered, recorded once per level (one lock, one set of metrics).
        self.record(level.access, hits: level.hits, misses: level.misses, batches: level.batches, levels: 1)
        if let cache = self.cache, level.hits > 0 || level.misses > 0 {
            GatewayMetrics.cacheLookup(store: cache.store.name, hits: level.hits, misses: level.misses, duration: level.lookupDuration)
        }
        if level.hits > 0 { self.tracing?.servedInProcess(batches: level.queuesServed, keys: level.hits) }
        if batches.isEmpty && pendingCalls.isEmpty { return }
        if let tracing = self.tracing {
            await tracing.withExecuteSpan { await self.load(batches, pendingCalls) }
        } else {
            await self.load(batches, pendingCalls)
        }
    }

    /// Runs the batches and calls that need I/O, concurrently (inline when there is only one: a
    /// level's lone batch or lone call needs no child task).
    private func load(_ batches: [EndpointBatch], _ calls: [PendingCall]) async {
        switch (batches.count, calls.count) {
        case (1, 0): await self.tracedLoad(batches[0])
        case (0, 1): await self.tracedLoadSingle(calls[0])
        default:
            await withTaskGroup(of: Void.self) { group in
                for batch in batches {
                    group.addTask { await self.tracedLoad(batch) }
                }
                for pending in calls {
                    group.addTask { await self.tracedLoadSingle(pending) }
                }
            }
        }
    }

    private func tracedLoadSingle(_ pending: PendingCall) async {
        await withSpanIfTracing("loader \(pending.call.service) call") { span in
            span.setAttributesIfRecording { $0["nilecare.loader.service"] = pending.call.service }
            await self.loadSingle(pending)
        }
    }

    private func tracedLoad(_ batch: EndpointBatch) async {
        let plan = batch.plan
        await withSpanIfTracing("loader \(batch.lanes.count == 1 ? plan.coordinate : plan.service + " " + plan.path)") { span in
            span.setAttributesIfRecording {
                $0["nilecare.loader.service"] = plan.service
                $0["nilecare.loader.fields"] = batch.lanes.count
                $0["nilecare.loader.keys"] = batch.lanes.reduce(0) { $0 + $1.positions.count }
            }
            await self.load(batch)
        }
    }

    /// What the in-process cache did for one level, across its queues.
    struct LevelTally {
        var batches = 0
        var hits = 0
        var misses = 0
        var queuesServed = 0
        var lookupDuration = Duration.zero
        var access = AccessTally()
    }

    /// Takes a call from the request's budget; `false` when it is spent (the call must not be made).
    func takeCall() -> Bool { self.budget?.take() ?? true }

    /// Fields refused before any call (no token, role, owner argument): for the audit log.
    func noteDenial(count: Int = 1) {
        self.statistics.withLock {
            $0.touchedPHI = true
            $0.denials += count
        }
    }

    func record(_ access: AccessTally, hits: Int = 0, misses: Int = 0, batches: Int = 0, levels: Int = 0) {
        guard access.touchedPHI || hits > 0 || misses > 0 || batches > 0 || levels > 0 else { return }
        self.statistics.withLock { statistics in
            statistics.cacheHits += hits
            statistics.cacheMisses += misses
            statistics.batches += batches
            statistics.levels += levels
            if access.touchedPHI { statistics.touchedPHI = true }
            statistics.denials += access.denials
            statistics.patientsTouched.formUnion(access.owners)
        }
    }

    func servedStale(_ service: String) {
        self.statistics.withLock { $0.staleServed[service, default: 0] += 1 }
    }

    func count(_ service: String) {
        self.statistics.withLock { $0.calls[service, default: 0] += 1 }
    }
}
