import GraphQLEngine

/// Stages 1 and 4: the resolver cache's tiers before a call (the in-process store inline, the
/// remote one in the batch's task, stale entries kept aside) and the entries written after it.
extension RequestLoaders {
    /// Serves the queue's keys the in-process cache holds fresh; what is left is the field's lane.
    func answerInProcess(_ queue: LoaderQueue, tally level: inout LevelTally) -> LoaderLane {
        let plan = queue.plan
        let keyCount = queue.keys.count
        guard let cache = self.cache, plan.cache != nil else {
            return LoaderLane(queue: queue, positions: Array(0..<keyCount), cacheKeys: [], stale: [:])
        }
        // The in-process store finds entries by the field's prefix and each key, without making the
        // full keys. A subgraph field's entries are per selection too (its digest before the key).
        let prefix = cache.keyPrefix(plan, principal: self.cacheScope)
        let suffixes = queue.selection.map { selection in queue.keys.map { selection.fingerprint + ":" + $0 } } ?? queue.keys
        let lookupStarted = ContinuousClock.now
        let hits = cache.store.getDecodedInProcess(prefix: prefix, suffixes: suffixes) { cache.decodeEntry($1, plan, key: $0) }
        level.lookupDuration += ContinuousClock.now - lookupStarted
        var stale: [Int: [Value]] = [:]
        let remaining = self.deliverFresh(0..<keyCount, in: queue, cache: cache, entry: { hits[$0] }, stale: &stale, tally: &level.access)
        let served = keyCount - remaining.count
        level.hits += served
        // A wholly in-process store has answered for good: what it lacks is a miss.
        if cache.store.isInProcess { level.misses += remaining.count }
        if served > 0 { level.queuesServed += 1 }
        // The full keys, for what is left to look up remotely, fetch and cache (none: the lane is done).
        let cacheKeys = remaining.isEmpty ? [] : suffixes.map { prefix + $0 }
        return LoaderLane(queue: queue, positions: remaining, cacheKeys: cacheKeys, stale: stale)
    }

    /// Serves an unbatched call from the in-process cache when it holds it fresh (`nil`); else
    /// what the call still needs.
    func answerInProcess(_ call: SingleCall, url: String, tally level: inout LevelTally) -> PendingCall? {
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

    /// The remote store for every cached lane of the batch, in one lookup: fresh entries are
    /// delivered, stale ones kept aside, and each lane keeps only the positions still to fetch.
    func answerRemotely(_ batch: inout EndpointBatch) async {
        guard let cache = self.cache, !cache.store.isInProcess else { return }
        var planOfKey: [String: FetchPlan] = [:]
        var keys: [String] = []
        for lane in batch.lanes where !lane.cacheKeys.isEmpty {
            for position in lane.positions {
                keys.append(lane.cacheKeys[position])
                planOfKey[lane.cacheKeys[position]] = lane.plan
            }
        }
        if keys.isEmpty { return }
        let lookupStarted = ContinuousClock.now
        let found = await cache.store.getDecoded(keys) { key, bytes in planOfKey[key].flatMap { cache.decodeEntry(bytes, $0, key: key) } }
        let lookupDuration = ContinuousClock.now - lookupStarted
        var access = AccessTally()
        var misses = 0
        for index in batch.lanes.indices where !batch.lanes[index].cacheKeys.isEmpty {
            let lane = batch.lanes[index]
            var stale = lane.stale
            let remaining = self.deliverFresh(lane.positions, in: lane.queue, cache: cache, entry: { found[lane.cacheKeys[$0]] }, stale: &stale, tally: &access)
            misses += remaining.count
            batch.lanes[index].positions = remaining
            batch.lanes[index].stale = stale
        }
        self.record(access, hits: keys.count - misses, misses: misses)
        GatewayMetrics.cacheLookup(store: cache.store.name, hits: keys.count - misses, misses: misses, duration: lookupDuration)
    }

    /// Delivers the keys at `positions` whose cached entry is fresh; notes the stale ones (served
    /// only if the downstream fails) and returns the positions still to load.
    func deliverFresh(
        _ positions: some Sequence<Int>, in queue: LoaderQueue, cache: ResolverCache, entry: (Int) -> DecodedEntry?,
        stale: inout [Int: [Value]], tally: inout AccessTally
    ) -> [Int] {
        var missing: [Int] = []
        let now = cache.now()  // one clock read for the batch's entries
        for position in positions {
            if let found = entry(position), let isFresh = cache.freshness(found, at: now), case .list(let items) = found.value {
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

    /// The entry caching what a lane's key matched, under the lane's policy, tagged by field and key.
    func cacheEntry(_ found: [Value], at position: Int, of lane: LoaderLane) -> CacheEntry? {
        guard let cache = self.cache, !lane.cacheKeys.isEmpty else { return nil }
        let plan = lane.plan
        var writer = JSONWriter(capacity: 256)
        writer.value(.list(found))
        return cache.entry(writer.bytes, plan, key: lane.cacheKeys[position], tags: ["\(plan.coordinate):\(lane.queue.keys[position])", plan.coordinate])
    }
}
