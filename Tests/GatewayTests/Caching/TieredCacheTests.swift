import Gateway
import RedisClient
import TestSupport
import Testing

@Suite("Gateway: L1 in front of Redis, coherent across replicas", .serialized, .timeLimit(.minutes(2)))
struct TieredCacheTests {
    static func tiered(_ redis: RedisServerProcess) -> (TieredCacheStore, RedisClient) {
        let client = RedisClient(configuration: redis.configuration)
        let store = TieredCacheStore(l2: RedisCacheStore(client: client), trackedNodes: [redis.configuration])
        store.start()
        return (store, client)
    }

    static func eventually(_ condition: () async -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test("a hot entry is served from L1; a write on another replica drops it; invalidation is seen by both")
    func coherentAcrossReplicas() async throws {
        let redis = try RedisServerProcess()
        try await redis.ready()
        defer { redis.stop() }
        let (a, clientA) = Self.tiered(redis)
        let (b, clientB) = Self.tiered(redis)
        #expect(try await Self.eventually { a.isCoherent && b.isCoherent })

        await b.set([CacheEntry(key: "nc:t:k", value: Array("v1".utf8), ttl: .seconds(60), tags: ["T.f:1"])])
        #expect(await a.get(["nc:t:k"]) == ["nc:t:k": Array("v1".utf8)])
        // (B's write may still be announced after A's first read: read until L1 answers.)
        #expect(try await Self.eventually { await a.get(["nc:t:k"]) == ["nc:t:k": Array("v1".utf8)] && a.statistics.l1Hits >= 1 })
        let l2Hits = a.statistics.l2Hits
        #expect(await a.get(["nc:t:k"]) == ["nc:t:k": Array("v1".utf8)])
        #expect(a.statistics.l2Hits == l2Hits)

        // Replica B writes a new value: Redis announces it, A's L1 copy goes, A reads the new one.
        await b.set([CacheEntry(key: "nc:t:k", value: Array("v2".utf8), ttl: .seconds(60), tags: ["T.f:1"])])
        #expect(try await Self.eventually { await a.get(["nc:t:k"]) == ["nc:t:k": Array("v2".utf8)] })
        #expect(a.statistics.invalidations >= 1)

        // B invalidates by tag: gone from A's L1 too.
        _ = await a.get(["nc:t:k"])
        await b.invalidate(tags: ["T.f:1"])
        #expect(try await Self.eventually { await a.get(["nc:t:k"]).isEmpty })
        a.stop()
        b.stop()
        await clientA.shutdown()
        await clientB.shutdown()
    }

    @Test("Redis gone: L1 is emptied and bypassed; Redis back: L1 serves again")
    func listenerLoss() async throws {
        let redis = try RedisServerProcess()
        try await redis.ready()
        let port = redis.port
        let (store, client) = Self.tiered(redis)
        #expect(try await Self.eventually { store.isCoherent })
        await store.set([CacheEntry(key: "nc:t:x", value: [1], ttl: .seconds(60), tags: [])])
        // (Redis's announcement of our own write may drop the first copy: read until one stays.)
        #expect(try await Self.eventually { _ = await store.get(["nc:t:x"]); return store.l1.count == 1 })
        redis.stop()
        #expect(try await Self.eventually { !store.isCoherent })
        #expect(store.l1.count == 0)
        #expect(await store.get(["nc:t:x"]).isEmpty)
        let restarted = try RedisServerProcess(port: port)
        defer { restarted.stop() }
        try await restarted.ready()
        #expect(try await Self.eventually { store.isCoherent })
        // The pool reconnects after its back-off; then writes land and L1 fills again.
        #expect(
            try await Self.eventually {
                await store.set([CacheEntry(key: "nc:t:x", value: [2], ttl: .seconds(60), tags: [])])
                return await store.get(["nc:t:x"]) == ["nc:t:x": [2]]
            })
        #expect(try await Self.eventually { _ = await store.get(["nc:t:x"]); return store.l1.count == 1 })
        store.stop()
        await client.shutdown()
    }
}
