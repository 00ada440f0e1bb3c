import GraphQLEngine

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
        if keys.isEmpty { return }
        let plan = batch.plan
        let chunks = stride(from: 0, to: keys.count, by: self.maxBatchSize).map { Array(keys[$0..<min($0 + self.maxBatchSize, keys.count)]) }
        // What each lane's keys found: one answer for every lane (REST), or each lane's own (a subgraph).
        var answers: [[String: Result<[Value], GraphQLError>]]
        if plan.subgraph != nil {
            answers = await self.fetchFromSubgraph(batch, chunks)
        } else {
            var shared: [String: Result<[Value], GraphQLError>] = [:]
            for (chunk, answer) in zip(chunks, await self.fetch(chunks, plan)) {
                for key in chunk { shared[key] = answer.map { $0[key] ?? [] } }
            }
            answers = [shared]
        }
        var access = AccessTally()
        var entries: [CacheEntry] = []
        for (index, lane) in batch.lanes.enumerated() {
            let found = answers[answers.count == 1 ? 0 : index]
            for position in lane.positions {
                switch found[lane.queue.keys[position]] {
                case .success(let found)?:
                    self.deliver(found, at: position, in: lane.queue, tally: &access)
                    if let entry = self.cacheEntry(found, at: position, of: lane) { entries.append(entry) }
                case .failure(let failure)?:
                    if let found = lane.stale[position] {
                        self.servedStale(plan.service)
                        self.deliver(found, at: position, in: lane.queue, tally: &access)
                    } else {
                        lane.queue.forEachWaiter(at: position) { $0.fail(failure) }
                    }
                case nil:
                    continue  // every key to fetch has an answer
                }
            }
        }
        self.record(access)
        if let cache = self.cache, !entries.isEmpty { await cache.store.set(entries, unlessOutageSince: epoch) }
    }

    /// The chunks' calls, concurrently when there are several; each answer's items by key.
    private func fetch(_ chunks: [[String]], _ plan: FetchPlan) async -> [Result<[String: [Value]], GraphQLError>] {
        if chunks.count == 1 { return [await self.fetch(chunks[0], plan)] }
        return await withTaskGroup(of: (Int, Result<[String: [Value]], GraphQLError>).self) { group in
            for (index, chunk) in chunks.enumerated() {
                group.addTask { (index, await self.fetch(chunk, plan)) }
            }
            var answers = [Result<[String: [Value]], GraphQLError>](repeating: .success([:]), count: chunks.count)
            for await (index, answer) in group { answers[index] = answer }
            return answers
        }
    }

    /// One call for `keys`; a body of the wrong shape fails the chunk (stale data may stand in)
    /// and is never cached.
    private func fetch(_ keys: [String], _ plan: FetchPlan) async -> Result<[String: [Value]], GraphQLError> {
        guard let batchParam = plan.batchParam else { return .failure(DownstreamError.badShape(plan.service).graphQLError) }
        guard self.takeCall() else { return .failure(self.budgetExhausted) }
        let separator = plan.path.contains("?") ? "&" : "?"
        let url = plan.path + separator + batchParam + "=" + keys.map(percentEncode).joined(separator: ",")
        self.count(plan.service)
        do throws(DownstreamError) {
            let answer = try await self.client.get(plan.service, url, endpoint: DownstreamClient.path(of: plan.path), headers: self.headers)
            guard let items = listItems(answer) else { throw DownstreamError.badShape(plan.service) }
            var matches: [String: [Value]] = [:]
            for item in items {
                guard let key = item[plan.matchOn].flatMap(keyString) else { continue }
                matches[key, default: []].append(item)
            }
            return .success(matches)
        } catch {
            return .failure(error.graphQLError)
        }
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
