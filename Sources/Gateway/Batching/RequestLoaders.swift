import GraphQLEngine
import Synchronization
import Tracing

/// The request's loaders: one per (service, endpoint), each collecting the keys of one execution
/// level and loading them in as few downstream calls as the batch size allows.
///
/// Made per request (a loader shared across principals would leak PHI). Resolvers queue keys
/// while the executor walks a level; `dispatch()` then sends every loader's batch concurrently:
/// keys de-duplicated, chunked at `maxBatchSize`, items matched back by key in any order.
public final class RequestLoaders: BatchDispatcher, @unchecked Sendable {
    /// One queued key and the slots waiting for it.
    private struct Waiter {
        let pending: PendingValue
        let returnsList: Bool
    }

    private struct Queue {
        let plan: FetchPlan
        var order: [String] = []
        var waiters: [String: [Waiter]] = [:]
    }

    private struct SingleCall {
        let service: String
        var waiters: [(PendingValue, FetchPlan)] = []
    }

    private let client: DownstreamClient
    private let headers: ForwardedHeaders
    private let maxBatchSize: Int
    private let cache: ResolverCache?
    /// Who the request runs for: ownership is checked against it, PRIVATE entries keyed by its hash.
    let principal: Principal
    private let cacheScope: String
    private let state = Mutex<(queues: [String: Queue], calls: [String: SingleCall])>(([:], [:]))
    /// Downstream calls made, by service (for the response receipt).
    public let statistics = Mutex<DownstreamStatistics>(DownstreamStatistics())

    public init(
        client: DownstreamClient, headers: ForwardedHeaders, principal: Principal = .anonymous, maxBatchSize: Int = 100, cache: ResolverCache? = nil
    ) {
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
        self.statistics.withLock { $0.httpCache.include(plan.cache) }
        self.state.withLock { state in
            // Fields sharing an endpoint share a loader, unless their cache policies or tags differ.
            let loaderKey = plan.queueKey
            // Mutated in place: a copy taken out of the dictionary would copy its waiters on every key.
            if state.queues[loaderKey] == nil { state.queues[loaderKey] = Queue(plan: plan) }
            let waiter = Waiter(pending: pending, returnsList: plan.returnsList)
            if state.queues[loaderKey]!.waiters[key]?.append(waiter) == nil {
                state.queues[loaderKey]!.waiters[key] = [waiter]
                state.queues[loaderKey]!.order.append(key)
            }
        }
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

    public func dispatch() async {
        let (queues, calls) = self.state.withLock { state in
            let taken = (state.queues, state.calls)
            state.queues = [:]
            state.calls = [:]
            return taken
        }
        self.statistics.withLock { $0.levels += 1 }
        await withTaskGroup(of: Void.self) { group in
            for queue in queues.values {
                for start in stride(from: 0, to: queue.order.count, by: self.maxBatchSize) {
                    let keys = Array(queue.order[start..<min(start + self.maxBatchSize, queue.order.count)])
                    group.addTask {
                        await withSpan("loader \(queue.plan.coordinate)") { span in
                            span.attributes["nilecare.loader.service"] = queue.plan.service
                            span.attributes["nilecare.loader.keys"] = keys.count
                            await self.loadBatch(queue, keys)
                        }
                    }
                }
            }
            for (id, call) in calls {
                let url = String(id.dropFirst(call.service.count + 1))
                group.addTask {
                    await withSpan("loader \(call.service) call") { span in
                        span.attributes["nilecare.loader.service"] = call.service
                        await self.loadSingle(call, url)
                    }
                }
            }
        }
    }

    private func loadBatch(_ queue: Queue, _ keys: [String]) async {
        let plan = queue.plan
        self.statistics.withLock { $0.batches += 1 }
        GatewayMetrics.loaderBatch(service: plan.service, keys: keys.count)
        var misses = keys
        var cacheKeys: [String: String] = [:]
        // Expired entries still in their grace period: served only if the downstream fails.
        var stale: [String: [Value]] = [:]
        if let cache = self.cache, plan.cache != nil {
            // One round trip for the whole batch; only the misses go downstream.
            for key in keys { cacheKeys[key] = cache.key(plan, key, principal: self.cacheScope) }
            let lookupStarted = ContinuousClock.now
            let hits = await cache.store.getDecoded(keys.map { cacheKeys[$0]! }) { cache.decodeEntry($0, plan) }
            let lookupDuration = ContinuousClock.now - lookupStarted
            misses = []
            for key in keys {
                if let entry = hits[cacheKeys[key]!], let isFresh = cache.freshness(entry), case .list(let found) = entry.value {
                    if isFresh {
                        self.deliver(found, for: key, in: queue)
                        continue
                    }
                    stale[key] = found
                }
                misses.append(key)
            }
            self.statistics.withLock {
                $0.cacheHits += keys.count - misses.count
                $0.cacheMisses += misses.count
            }
            GatewayMetrics.cacheLookup(store: cache.store.name, hits: keys.count - misses.count, misses: misses.count, duration: lookupDuration)
            if misses.isEmpty { return }
        }
        let separator = plan.path.contains("?") ? "&" : "?"
        let url = plan.path + separator + plan.batchParam! + "=" + misses.map(percentEncode).joined(separator: ",")
        self.count(plan.service)
        do {
            let answer = try await self.client.get(plan.service, url, headers: self.headers)
            var matches: [String: [Value]] = [:]
            if case .list(let items) = unwrapItems(answer) {
                for item in items {
                    guard let key = item[plan.matchOn].flatMap(keyString) else { continue }
                    matches[key, default: []].append(item)
                }
            }
            var entries: [CacheEntry] = []
            for key in misses {
                let found = matches[key] ?? []
                self.deliver(found, for: key, in: queue)
                if let cache = self.cache, let cacheKey = cacheKeys[key] {
                    var writer = JSONWriter(capacity: 256)
                    writer.value(.list(found))
                    if let entry = cache.entry(writer.bytes, plan, key: cacheKey, tags: ["\(plan.coordinate):\(key)", plan.coordinate]) {
                        entries.append(entry)
                    }
                }
            }
            if let cache = self.cache, !entries.isEmpty { await cache.store.set(entries) }
        } catch {
            let failure = error.graphQLError
            for key in misses {
                if let found = stale[key] {
                    self.servedStale(plan.service)
                    self.deliver(found, for: key, in: queue)
                } else {
                    for waiter in queue.waiters[key] ?? [] { waiter.pending.fail(failure) }
                }
            }
        }
    }

    /// Fills every slot waiting for `key`: all matches for list fields, the first for single ones;
    /// FORBIDDEN instead when the data belongs to another patient than the caller.
    private func deliver(_ found: [Value], for key: String, in queue: Queue) {
        let delivered = queue.plan.returnsList ? found : Array(found.prefix(1))
        if let failure = self.checkAccess(delivered, queue.plan) {
            for waiter in queue.waiters[key] ?? [] { waiter.pending.fail(failure) }
            return
        }
        for waiter in queue.waiters[key] ?? [] {
            waiter.pending.fill(waiter.returnsList ? .list(found) : (found.first ?? .null))
        }
    }

    /// Checks `entities` against the plan's access rule, and notes the patients they belong to.
    private func checkAccess(_ entities: [Value], _ plan: FetchPlan) -> GraphQLError? {
        guard let rule = plan.access else { return nil }
        let owners = rule.owners(of: entities)
        let permitted = rule.permits(entities, for: self.principal)
        self.statistics.withLock { statistics in
            statistics.touchedPHI = true
            if permitted { statistics.patientsTouched.formUnion(owners) } else { statistics.denials += 1 }
        }
        return permitted ? nil : AccessRule.forbidden(plan.coordinate)
    }

    private func loadSingle(_ call: SingleCall, _ url: String) async {
        // The first field's plan decides the cache policy of a URL several fields share.
        let plan = call.waiters.first?.1
        let cacheKey = plan.flatMap { plan in plan.cache == nil ? nil : self.cache?.key(plan, url, principal: self.cacheScope) }
        var stale: Value?
        if let cache = self.cache, let plan, let cacheKey {
            self.statistics.withLock { $0.batches += 1 }
            let lookupStarted = ContinuousClock.now
            let found = await cache.store.getDecoded([cacheKey]) { cache.decodeEntry($0, plan) }[cacheKey]
            let lookupDuration = ContinuousClock.now - lookupStarted
            if let entry = found, let isFresh = cache.freshness(entry) {
                let answer = entry.value
                if isFresh {
                    GatewayMetrics.cacheLookup(store: cache.store.name, hits: 1, misses: 0, duration: lookupDuration)
                    self.statistics.withLock { $0.cacheHits += 1 }
                    self.fill(call, with: answer)
                    return
                }
                stale = answer
            }
            GatewayMetrics.cacheLookup(store: cache.store.name, hits: 0, misses: 1, duration: lookupDuration)
            self.statistics.withLock { $0.cacheMisses += 1 }
        }
        self.count(call.service)
        do {
            let answer = try await self.client.get(call.service, url, headers: self.headers)
            self.fill(call, with: answer)
            if let cache = self.cache, let plan, let cacheKey {
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
        for (pending, plan) in call.waiters {
            let value = plan.keepsEnvelope ? answer : (plan.returnsList ? unwrapItems(answer) : unwrapItem(answer))
            // The entities the field returns: the list's items, the envelope's `data`, or the item.
            let entities: [Value]
            switch plan.keepsEnvelope ? unwrapItems(answer) : value {
            case .list(let items): entities = items
            case .null: entities = []
            case let item: entities = [item]
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

/// What a request cost downstream.
public struct DownstreamStatistics: Sendable {
    public var calls: [String: Int] = [:]
    /// Dispatches: the levels that needed downstream data.
    public var levels = 0
    /// Loader batches (one per loader and chunk of keys): a cache lookup or a downstream call each.
    public var batches = 0
    /// Keys answered by the resolver cache, and keys it did not have.
    public var cacheHits = 0
    public var cacheMisses = 0
    /// Expired entries served because their service failed (stale-if-error), by service.
    public var staleServed: [String: Int] = [:]
    /// The cache policies of the data the response holds, for its HTTP `Cache-Control`.
    public var httpCache = ResponseCachePolicy()
    /// Whether the request read (or was refused) data under `@auth`: it goes to the PHI audit log.
    public var touchedPHI = false
    /// The patients whose records the response holds.
    public var patientsTouched: Set<String> = []
    /// Fields refused for authorization.
    public var denials = 0
}

/// The items of a list answer: the answer itself, or its `data` list.
func unwrapItems(_ answer: Value) -> Value {
    if case .list = answer { return answer }
    if let data = answer["data"], case .list = data { return data }
    return .list([])
}

/// The entity of a single answer: its `data` object, or the answer itself.
func unwrapItem(_ answer: Value) -> Value {
    if let data = answer["data"], case .object = data { return data }
    return answer
}

/// A key as the downstream writes it: ids may arrive as strings or numbers.
func keyString(_ value: Value) -> String? {
    switch value {
    case .string(let string): string
    case .int(let int): String(int)
    case .float(let double) where double == double.rounded(): String(Int(double))
    default: nil
    }
}

/// Percent-encodes a key for a query string (keys are ids: anything else is escaped).
func percentEncode(_ key: String) -> String {
    var result = ""
    for byte in key.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            result.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            result += "%" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    return result
}
