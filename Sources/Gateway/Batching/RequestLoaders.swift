import GraphQLEngine
import Synchronization
import Tracing

/// The request's loaders: one queue per batched field, collecting the keys of one execution level
/// and loading them in as few downstream calls as the batch size allows; unbatched URLs are one
/// call per distinct URL.
///
/// Made per request (a loader shared across principals would leak PHI). Resolvers queue keys
/// while the executor walks a level; `dispatch()` then sends every loader's batch concurrently:
/// keys de-duplicated, chunked at `maxBatchSize`, items matched back by key in any order.
public final class RequestLoaders: BatchDispatcher, @unchecked Sendable {
    /// Keys of one queue still to load after the in-process cache answered (one task each).
    private struct Batch: Sendable {
        let queue: LoaderQueue
        let positions: [Int]
        /// The cache key of every key of the queue (by position); empty when the field is not cached.
        let cacheKeys: [String]
        /// Expired entries still in their grace period, by position: served only if the downstream fails.
        var stale: [Int: [Value]]
    }

    private struct SingleCall {
        let service: String
        var waiters: [(PendingValue, FetchPlan)] = []
    }

    /// An unbatched call the in-process cache did not answer: its URL, cache key (`nil`: not
    /// cached) and any expired entry still in its grace period.
    private struct PendingCall: Sendable {
        let call: SingleCall
        let url: String
        let cacheKey: String?
        let stale: Value?
    }

    private let client: DownstreamClient
    private let headers: ForwardedHeaders
    private let maxBatchSize: Int
    private let cache: ResolverCache?
    /// Who the request runs for: ownership is checked against it, PRIVATE entries keyed by its hash.
    let principal: Principal
    private let cacheScope: String
    /// Whether to note the patients each response holds (for the audit log only).
    private let recordsOwners: Bool
    /// The level's queues by plan index (an array: no hashing per resolved field), and its single calls.
    private let state = Mutex<(queues: [LoaderQueue?], calls: [String: SingleCall])>(([], [:]))
    /// Downstream calls made, by service (for the response receipt).
    public let statistics = Mutex<DownstreamStatistics>(DownstreamStatistics())
    /// The traced execution: batches answered in process are counted, the rest runs under its span.
    private let tracing: ExecutionTracing?

    public init(
        client: DownstreamClient, headers: ForwardedHeaders, principal: Principal = .anonymous, maxBatchSize: Int = 100, cache: ResolverCache? = nil,
        recordsOwners: Bool = true, tracing: ExecutionTracing? = nil
    ) {
        self.tracing = tracing
        self.recordsOwners = recordsOwners
        self.client = client
        self.headers = headers
        self.maxBatchSize = max(1, maxBatchSize)
        self.cache = cache
        self.principal = principal
        self.cacheScope = principal.cacheScope
    }

    /// Queues `key` on the plan's loader; the value arrives when the level is dispatched.
    func load(_ plan: FetchPlan, key: String) -> PendingValue {
        let pending = PendingValue()
        let isNewQueue = self.state.withLock { state in
            // Each field has its own queue (its cache policy and tags are its own).
            if plan.index < state.queues.count, let queue = state.queues[plan.index] {
                queue.add(key, pending)
                return false
            }
            let queue = LoaderQueue(plan: plan)
            queue.add(key, pending)
            if plan.index >= state.queues.count { state.queues.append(contentsOf: repeatElement(nil, count: plan.index - state.queues.count + 1)) }
            state.queues[plan.index] = queue
            return true
        }
        if isNewQueue { self.statistics.withLock { $0.httpCache.include(plan.cache) } }
        return pending
    }

    /// Queues an unbatched call of one URL; identical URLs of a level share one call.
    func load(_ plan: FetchPlan, url: String) -> PendingValue {
        let pending = PendingValue()
        self.statistics.withLock { $0.httpCache.include(plan.cache) }
        self.state.withLock { state in
            state.calls["\(plan.service) \(url)", default: SingleCall(service: plan.service)].waiters.append((pending, plan))
        }
        return pending
    }

    /// Loads the level: what the in-process cache holds is delivered inline; the rest (remote cache
    /// lookups and downstream calls) runs concurrently, one task per batch. A level answered wholly
    /// in process starts no task.
    public func dispatch() async {
        let (queues, calls) = self.state.withLock { state in
            let taken = (state.queues, state.calls)
            state.queues = []
            state.calls = [:]
            return taken
        }
        var batches: [Batch] = []
        var level = LevelTally()
        for case let queue? in queues { self.answerInProcess(queue, into: &batches, tally: &level) }
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

    /// Runs the batches and calls that need I/O, concurrently (inline when there is one batch).
    private func load(_ batches: [Batch], _ calls: [PendingCall]) async {
        if batches.count == 1 && calls.isEmpty {
            await self.tracedLoad(batches[0])
            return
        }
        await withTaskGroup(of: Void.self) { group in
            for batch in batches {
                group.addTask { await self.tracedLoad(batch) }
            }
            for pending in calls {
                group.addTask {
                    await withSpan("loader \(pending.call.service) call") { span in
                        span.attributes["nilecare.loader.service"] = pending.call.service
                        await self.loadSingle(pending)
                    }
                }
            }
        }
    }

    /// Serves an unbatched call from the in-process cache when it holds it fresh (`nil`); else
    /// what the call still needs.
    private func answerInProcess(_ call: SingleCall, url: String, tally level: inout LevelTally) -> PendingCall? {
        // The first field's plan decides the cache policy of a URL several fields share.
        guard let cache = self.cache, let plan = call.waiters.first?.1, plan.cache != nil else {
            return PendingCall(call: call, url: url, cacheKey: nil, stale: nil)
        }
        let cacheKey = cache.key(plan, url, principal: self.cacheScope)
        level.batches += 1
        let lookupStarted = ContinuousClock.now
        let found = cache.store.getDecodedInProcess([cacheKey]) { cache.decodeEntry($1, plan, key: $0) }[0]
        level.lookupDuration += ContinuousClock.now - lookupStarted
        var stale: Value?
        if let entry = found, let isFresh = cache.freshness(entry) {
            if isFresh {
                level.hits += 1
                level.queuesServed += 1
                self.fill(call, with: entry.value)
                return nil
            }
            stale = entry.value
        }
        if cache.store.isInProcess { level.misses += 1 }
        return PendingCall(call: call, url: url, cacheKey: cacheKey, stale: stale)
    }

    /// What the in-process cache did for one level, across its queues.
    private struct LevelTally {
        var batches = 0
        var hits = 0
        var misses = 0
        var queuesServed = 0
        var lookupDuration = Duration.zero
        var access = AccessTally()
    }

    /// Serves the queue's keys the in-process cache holds fresh, and appends the rest as batches of
    /// at most `maxBatchSize` keys.
    private func answerInProcess(_ queue: LoaderQueue, into batches: inout [Batch], tally level: inout LevelTally) {
        let plan = queue.plan
        let keyCount = queue.keys.count
        level.batches += (keyCount + self.maxBatchSize - 1) / self.maxBatchSize
        GatewayMetrics.loaderBatch(service: plan.service, keys: keyCount)
        var remaining: [Int] = []
        var stale: [Int: [Value]] = [:]
        var cacheKeys: [String] = []
        if let cache = self.cache, plan.cache != nil {
            let prefix = cache.keyPrefix(plan, principal: self.cacheScope)
            cacheKeys = queue.keys.map { prefix + $0 }
            let lookupStarted = ContinuousClock.now
            let hits = cache.store.getDecodedInProcess(cacheKeys) { cache.decodeEntry($1, plan, key: $0) }
            level.lookupDuration += ContinuousClock.now - lookupStarted
            remaining = self.deliverFresh(0..<keyCount, in: queue, cache: cache, entry: { hits[$0] }, stale: &stale, tally: &level.access)
            let served = keyCount - remaining.count
            level.hits += served
            // A wholly in-process store has answered for good: what it lacks is a miss.
            if cache.store.isInProcess { level.misses += remaining.count }
            if served > 0 { level.queuesServed += 1 }
        } else {
            remaining = Array(0..<keyCount)
        }
        for start in stride(from: 0, to: remaining.count, by: self.maxBatchSize) {
            let positions = Array(remaining[start..<min(start + self.maxBatchSize, remaining.count)])
            batches.append(Batch(queue: queue, positions: positions, cacheKeys: cacheKeys, stale: stale.isEmpty ? [:] : stale.filter { positions.contains($0.key) }))
        }
    }

    private func tracedLoad(_ batch: Batch) async {
        await withSpan("loader \(batch.queue.plan.coordinate)") { span in
            span.attributes["nilecare.loader.service"] = batch.queue.plan.service
            span.attributes["nilecare.loader.keys"] = batch.positions.count
            await self.load(batch)
        }
    }

    /// One batch: the remote cache for its keys (unless the store is in process), then one
    /// downstream call for what is still missing.
    private func load(_ batch: Batch) async {
        let queue = batch.queue
        let plan = queue.plan
        var misses = batch.positions
        var stale = batch.stale
        var access = AccessTally()
        if let cache = self.cache, plan.cache != nil, !cache.store.isInProcess {
            let lookupStarted = ContinuousClock.now
            let hits = await cache.store.getDecoded(misses.map { batch.cacheKeys[$0] }) { cache.decodeEntry($1, plan, key: $0) }
            let lookupDuration = ContinuousClock.now - lookupStarted
            let asked = misses
            misses = self.deliverFresh(asked, in: queue, cache: cache, entry: { hits[batch.cacheKeys[$0]] }, stale: &stale, tally: &access)
            self.record(access, hits: asked.count - misses.count, misses: misses.count)
            access = AccessTally()
            GatewayMetrics.cacheLookup(store: cache.store.name, hits: asked.count - misses.count, misses: misses.count, duration: lookupDuration)
        }
        if misses.isEmpty { return }
        let separator = plan.path.contains("?") ? "&" : "?"
        let url = plan.path + separator + plan.batchParam! + "=" + misses.map { percentEncode(queue.keys[$0]) }.joined(separator: ",")
        self.count(plan.service)
        do throws(DownstreamError) {
            let answer = try await self.client.get(plan.service, url, endpoint: DownstreamClient.path(of: plan.path), headers: self.headers)
            // A body of the wrong shape fails the batch (stale data may stand in); it is never cached.
            guard let items = listItems(answer) else { throw DownstreamError.badShape(plan.service) }
            var matches: [String: [Value]] = [:]
            for item in items {
                guard let key = item[plan.matchOn].flatMap(keyString) else { continue }
                matches[key, default: []].append(item)
            }
            var entries: [CacheEntry] = []
            for position in misses {
                let key = queue.keys[position]
                let found = matches[key] ?? []
                self.deliver(found, at: position, in: queue, tally: &access)
                if let cache = self.cache, !batch.cacheKeys.isEmpty {
                    var writer = JSONWriter(capacity: 256)
                    writer.value(.list(found))
                    if let entry = cache.entry(writer.bytes, plan, key: batch.cacheKeys[position], tags: ["\(plan.coordinate):\(key)", plan.coordinate]) {
                        entries.append(entry)
                    }
                }
            }
            self.record(access)
            if let cache = self.cache, !entries.isEmpty { await cache.store.set(entries) }
        } catch {
            let failure = error.graphQLError
            for position in misses {
                if let found = stale[position] {
                    self.servedStale(plan.service)
                    self.deliver(found, at: position, in: queue, tally: &access)
                } else {
                    queue.forEachWaiter(at: position) { $0.fail(failure) }
                }
            }
            self.record(access)
        }
    }

    /// Delivers the keys at `positions` whose cached entry is fresh; notes the stale ones (served
    /// only if the downstream fails) and returns the positions still to load.
    private func deliverFresh(
        _ positions: some Sequence<Int>, in queue: LoaderQueue, cache: ResolverCache, entry: (Int) -> DecodedEntry?,
        stale: inout [Int: [Value]], tally: inout AccessTally
    ) -> [Int] {
        var missing: [Int] = []
        for position in positions {
            if let found = entry(position), let isFresh = cache.freshness(found), case .list(let items) = found.value {
                if isFresh {
                    self.deliver(items, at: position, in: queue, tally: &tally)
                    continue
                }
                stale[position] = items
            }
            missing.append(position)
        }
        return missing
    }

    /// What deliveries of one batch found about access, recorded in the statistics at once.
    private struct AccessTally {
        var touchedPHI = false
        var denials = 0
        var owners: [String] = []
    }

    /// Fills every slot waiting for the key at `position`: all matches for list fields, the first
    /// for single ones; FORBIDDEN instead when the data belongs to another patient than the caller.
    private func deliver(_ found: [Value], at position: Int, in queue: LoaderQueue, tally: inout AccessTally) {
        let plan = queue.plan
        if let rule = plan.access {
            let delivered = plan.returnsList ? found : Array(found.prefix(1))
            tally.touchedPHI = true
            // For a patient, "not yours" and "not there" are one answer (no existence oracle).
            let missingForPatient = delivered.isEmpty && !plan.returnsList && rule.restrictsToOwner(self.principal)
            if missingForPatient || !rule.permits(delivered, for: self.principal) {
                tally.denials += 1
                let failure = AccessRule.forbidden(plan.coordinate)
                queue.forEachWaiter(at: position) { $0.fail(failure) }
                return
            }
            if self.recordsOwners { tally.owners.append(contentsOf: rule.owners(of: delivered)) }
        }
        let value: Value = plan.returnsList ? .list(found) : (found.first ?? .null)
        queue.forEachWaiter(at: position) { $0.fill(value) }
    }

    private func record(_ access: AccessTally, hits: Int = 0, misses: Int = 0, batches: Int = 0, levels: Int = 0) {
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

    /// Checks `entities` against the plan's access rule, and notes the patients they belong to.
    private func checkAccess(_ entities: [Value], _ plan: FetchPlan) -> GraphQLError? {
        guard let rule = plan.access else { return nil }
        var tally = AccessTally(touchedPHI: true)
        let permitted = rule.permits(entities, for: self.principal)
        if !permitted {
            tally.denials = 1
        } else if self.recordsOwners {
            tally.owners = rule.owners(of: entities)
        }
        self.record(tally)
        return permitted ? nil : AccessRule.forbidden(plan.coordinate)
    }

    /// An unbatched call: the remote cache (unless the store is in process), then the downstream.
    private func loadSingle(_ pending: PendingCall) async {
        let call = pending.call
        let plan = call.waiters.first?.1
        var stale = pending.stale
        if let cache = self.cache, let plan, let cacheKey = pending.cacheKey, !cache.store.isInProcess {
            let lookupStarted = ContinuousClock.now
            let found = await cache.store.getDecoded([cacheKey]) { cache.decodeEntry($1, plan, key: $0) }[cacheKey]
            let lookupDuration = ContinuousClock.now - lookupStarted
            if let entry = found, let isFresh = cache.freshness(entry) {
                if isFresh {
                    GatewayMetrics.cacheLookup(store: cache.store.name, hits: 1, misses: 0, duration: lookupDuration)
                    self.record(AccessTally(), hits: 1)
                    self.fill(call, with: entry.value)
                    return
                }
                stale = entry.value
            }
            GatewayMetrics.cacheLookup(store: cache.store.name, hits: 0, misses: 1, duration: lookupDuration)
            self.record(AccessTally(), misses: 1)
        }
        self.count(call.service)
        do throws(DownstreamError) {
            let answer = try await self.client.get(call.service, pending.url, endpoint: plan.map { DownstreamClient.path(of: $0.path) }, headers: self.headers)
            // Every field sharing the URL must find its shape in the answer, or none is served or cached.
            let shaped = call.waiters.map { shapedValue(answer, for: $0.1) }
            guard !shaped.contains(where: { $0 == nil }) else { throw DownstreamError.badShape(call.service) }
            self.fill(call, shaped: shaped)
            if let cache = self.cache, let plan, let cacheKey = pending.cacheKey {
                var writer = JSONWriter(capacity: 1024)
                writer.value(answer)
                // Tagged for every field that shares the URL, so each one's invalidation drops it.
                let tags = Array(Set(call.waiters.map { $0.1.coordinate })).sorted()
                if let entry = cache.entry(writer.bytes, plan, key: cacheKey, tags: tags) { await cache.store.set([entry]) }
            }
        } catch {
            if let stale {
                self.servedStale(call.service)
                self.fill(call, with: stale)
                return
            }
            let failure = error.graphQLError
            for (pending, _) in call.waiters { pending.fail(failure) }
        }
    }

    private func fill(_ call: SingleCall, with answer: Value) {
        self.fill(call, shaped: call.waiters.map { shapedValue(answer, for: $0.1) })
    }

    /// Fills each waiter with its field's shape of the answer (`nil`: not the shape it needs).
    private func fill(_ call: SingleCall, shaped: [Value?]) {
        for ((pending, plan), value) in zip(call.waiters, shaped) {
            guard let value else {
                pending.fail(DownstreamError.badShape(plan.service).graphQLError)
                continue
            }
            // The entities the field returns: the list's items, the envelope's `data`, or the item.
            let entities: [Value]
            if plan.keepsEnvelope {
                entities = listItems(value) ?? []
            } else if case .list(let items) = value {
                entities = items
            } else {
                entities = value == .null ? [] : [value]
            }
            if let failure = self.checkAccess(entities, plan) {
                pending.fail(failure)
            } else {
                pending.fill(value)
            }
        }
    }

    /// A field refused before any call (no token, role, owner argument): for the audit log.
    func noteDenial() {
        self.statistics.withLock {
            $0.touchedPHI = true
            $0.denials += 1
        }
    }

    private func servedStale(_ service: String) {
        self.statistics.withLock { $0.staleServed[service, default: 0] += 1 }
    }

    private func count(_ service: String) {
        self.statistics.withLock { $0.calls[service, default: 0] += 1 }
    }
}
