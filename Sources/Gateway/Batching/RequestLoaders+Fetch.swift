import GraphQLEngine
import Synchronization

/// Stage 2: the calls. An endpoint's keys go out de-duplicated in chunks of the batch size (the
/// chunks concurrently), each call taken from the request's budget; the items that come back are
/// matched to keys by the match field, whatever their order.
extension RequestLoaders {
    /// One endpoint's level: the remote cache, the calls for what is still missing, then every
    /// lane's keys delivered (or their stale entries, or the failure) and their entries cached.
    func load(_ batch: EndpointBatch) async {
        // Before anything is fetched: a write after a cache outage since then is not made.
        let epoch = self.cache?.store.outageEpoch ?? 0
        var batch = batch
        await self.answerRemotely(&batch)
        let keys = batch.keysToFetch
        if keys.keys.isEmpty { return }
        let plan = batch.plan
        let chunks = stride(from: 0, to: keys.keys.count, by: self.maxBatchSize).map { $0..<min($0 + self.maxBatchSize, keys.keys.count) }
        // What each lane's keys found: one answer for every lane (REST), or each lane's own (a subgraph).
        let answers: FoundKeys
        if plan.subgraph != nil {
            answers = .perLane(await self.fetchFromSubgraph(batch, chunks.map { Array(keys.keys[$0]) }))
        } else {
            answers = .shared(await self.fetch(chunks, of: keys, plan), keys)
        }
        var access = AccessTally()
        var entries: [CacheEntry] = []
        for (index, lane) in batch.lanes.enumerated() {
            for position in lane.positions {
                switch answers.found(lane: index, key: lane.queue.keys[position]) {
                case .success(let found)?:
                    self.deliver(found, at: position, in: lane.queue, tally: &access)
                    if let entry = self.cacheEntry(found, at: position, of: lane) { entries.append(entry) }
                case .failure(let failure)?:
                    if let found = lane.stale[position] {
                        self.servedStale(plan.service)
                        self.deliver(found, at: position, in: lane.queue, tally: &access)
                    } else {
                        lane.queue.forEachWaiter(at: position) { $0.fail($1, failure) }
                    }
                case nil:
                    continue  // every key to fetch has an answer
                }
            }
        }
        self.record(access)
        if let cache = self.cache, !entries.isEmpty { await cache.store.set(entries, unlessOutageSince: epoch) }
    }

    /// What the calls found for each key, by the key's position: the chunks' calls (concurrently
    /// when there are several), each chunk's keys failing together when its call fails.
    private func fetch(_ chunks: [Range<Int>], of keys: OrderedKeys, _ plan: FetchPlan) async -> [Result<[Value], GraphQLError>] {
        var found = [Result<[Value], GraphQLError>](repeating: .success([]), count: keys.keys.count)
        func record(_ answer: Result<[[Value]], GraphQLError>, for chunk: Range<Int>) {
            switch answer {
            case .success(let lists):
                for (offset, list) in lists.enumerated() { found[chunk.lowerBound + offset] = .success(list) }
            case .failure(let failure):
                for position in chunk { found[position] = .failure(failure) }
            }
        }
        if chunks.count == 1 {
            record(await self.fetch(chunks[0], of: keys, plan), for: chunks[0])
            return found
        }
        let answers = await withTaskGroup(of: (Int, Result<[[Value]], GraphQLError>).self) { group in
            for (index, chunk) in chunks.enumerated() {
                group.addTask { (index, await self.fetch(chunk, of: keys, plan)) }
            }
            var answers = [Result<[[Value]], GraphQLError>](repeating: .success([]), count: chunks.count)
            for await (index, answer) in group { answers[index] = answer }
            return answers
        }
        for (chunk, answer) in zip(chunks, answers) { record(answer, for: chunk) }
        return found
    }

    /// One call for the keys at `chunk`: the items of each key (by its offset in the chunk),
    /// whatever order they come in; a body of the wrong shape fails the chunk (stale data may
    /// stand in) and is never cached.
    private func fetch(_ chunk: Range<Int>, of keys: OrderedKeys, _ plan: FetchPlan) async -> Result<[[Value]], GraphQLError> {
        guard let batchParam = plan.batchParam else { return .failure(DownstreamError.badShape(plan.service).graphQLError) }
        guard self.takeCall() else { return .failure(self.budgetExhausted) }
        let separator = plan.path.contains("?") ? "&" : "?"
        var url = plan.path + separator + batchParam + "="
        url.reserveCapacity(url.utf8.count + 4 * chunk.count)
        for position in chunk {
            if position > chunk.lowerBound { url += "," }
            url += percentEncode(keys.keys[position])
        }
        self.count(plan.service)
        do throws(DownstreamError) {
            let answer = try await self.client.get(plan.service, url, endpoint: DownstreamClient.path(of: plan.path), headers: self.headers)
            guard let items = listItems(answer) else { throw DownstreamError.badShape(plan.service) }
            return .success(Self.match(items, on: plan.matchOn, to: chunk, of: keys))
        } catch {
            return .failure(error.graphQLError)
        }
    }

    /// The items of each key of `chunk`, by its offset there (items of other keys, or without
    /// the match field, are left out). Each item's key is looked up once, and the items of a key
    /// counted before its list is made, so every list is made once at its size.
    static func match(_ items: [Value], on matchOn: String, to chunk: Range<Int>, of keys: OrderedKeys) -> [[Value]] {
        var offsets: [Int] = []
        offsets.reserveCapacity(items.count)
        var counts = [Int](repeating: 0, count: chunk.count)
        // The items share their layout: the match field is found where the last item had it.
        let slot = Atomic<Int>(-1)
        for item in items {
            guard let key = item.property(matchOn, hint: slot).flatMap(keyString), let position = keys.position(of: key), chunk.contains(position) else {
                offsets.append(-1)
                continue
            }
            offsets.append(position - chunk.lowerBound)
            counts[position - chunk.lowerBound] += 1
        }
        var lists = counts.map { count in
            var list: [Value] = []
            list.reserveCapacity(count)
            return list
        }
        for (item, offset) in zip(items, offsets) where offset >= 0 { lists[offset].append(item) }
        return lists
    }

    /// An unbatched call: the remote cache (unless the store is in process), then the downstream.
    func loadSingle(_ pending: PendingCall) async {
        let epoch = self.cache?.store.outageEpoch ?? 0
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
        guard self.takeCall() else {
            self.fail(call, with: self.budgetExhausted)
            return
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
                if let entry = cache.entry(writer.bytes, plan, key: cacheKey, tags: tags) { await cache.store.set([entry], unlessOutageSince: epoch) }
            }
        } catch {
            if let stale {
                self.servedStale(call.service)
                self.fill(call, with: stale)
                return
            }
            self.fail(call, with: error.graphQLError)
        }
    }

    /// The error of fields whose call the request's budget could not cover.
    var budgetExhausted: GraphQLError {
        self.budget?.exhausted ?? GraphQLError("The downstream call budget is spent.", extensions: ["code": "DOWNSTREAM_BUDGET_EXCEEDED"])
    }
}

/// What an endpoint's calls found for each key at one level: by the key's position for a REST
/// endpoint (one answer for every lane), by key for each lane of a subgraph.
enum FoundKeys {
    case shared([Result<[Value], GraphQLError>], OrderedKeys)
    case perLane([RequestLoaders.LaneAnswers])

    /// What the call found for `key` of the lane at `lane` (`nil`: not asked).
    func found(lane: Int, key: String) -> Result<[Value], GraphQLError>? {
        switch self {
        case .shared(let found, let keys): keys.position(of: key).map { found[$0] }
        case .perLane(let answers):
            answers.count == 1 ? answers[0][key] : lane < answers.count ? answers[lane][key] : nil
        }
    }
}
