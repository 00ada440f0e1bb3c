import FixtureServices
import Foundation
import Gateway
import GraphQLEngine
import RedisClient
import TestSupport
import Synchronization
import Testing

@Suite("Gateway: resolver cache")
struct ResolverCacheTests {
    static let query = "{ patients(limit: 10) { id appointments { id provider { lastName } } medications { name } } }"

    @Test("a repeated query is served from the cache without any downstream call")
    func memoryHits() async throws {
        try await withGateway(cache: MemoryCacheStore()) { fixtures, gateway in
            let first = await gateway.run(Self.query, authorization: "Bearer a")
            let before = try await fixtures.totals()
            let second = await gateway.run(Self.query, authorization: "Bearer a")
            let after = try await fixtures.totals()
            #expect(first.errors.isEmpty && second.errors.isEmpty)
            #expect(first.data == second.data)
            #expect(after == before)
        }
    }

    @Test("PRIVATE entries are never served to another principal; PUBLIC ones are shared")
    func privateScope() async throws {
        try await withGateway(cache: MemoryCacheStore()) { fixtures, gateway in
            _ = await gateway.run(Self.query, authorization: "Bearer alice")
            let before = try await fixtures.stats(.business)
            _ = await gateway.run(Self.query, authorization: "Bearer bob")
            let after = try await fixtures.stats(.business)
            // Appointments (PRIVATE) fetched again for bob; providers (PUBLIC) came from the cache.
            #expect(after["GET /api/v1/appointments?patientId"] == (before["GET /api/v1/appointments?patientId"] ?? 0) + 1)
            #expect(after["GET /api/v1/providers?ids"] == before["GET /api/v1/providers?ids"])
        }
    }

    @Test("createAppointment invalidates the patient's cached appointments")
    func invalidation() async throws {
        try await withGateway(cache: MemoryCacheStore()) { fixtures, gateway in
            let read = #"{ patient(id: "1") { appointments { id reason } } }"#
            let before = await gateway.run(read)
            let created = await gateway.run(
                #"mutation { createAppointment(input: {patientId: "1", providerId: "2", date: "2026-12-01", time: "10:30", reason: "Cache test"}) { id } }"#)
            #expect(created.errors.isEmpty)
            let after = await gateway.run(read)
            #expect((after.data?["patient"]?["appointments"]?.listCount ?? 0) == (before.data?["patient"]?["appointments"]?.listCount ?? 0) + 1)
            let calls = try await fixtures.stats(.business)
            #expect(calls["GET /api/v1/appointments?patientId"] == 2)

            // A cached page of patients is dropped by createPatient.
            let page = "{ patientsPage(limit: 5) { total } }"
            let total = await gateway.run(page).data?["patientsPage"]?["total"]
            _ = await gateway.run(#"mutation { createPatient(input: {firstName: "Zawadi", lastName: "Osei", dateOfBirth: "1999-09-09"}) { id } }"#)
            let newTotal = await gateway.run(page).data?["patientsPage"]?["total"]
            #expect(total == 1000)
            #expect(newTotal == 1001)
        }
    }

    @Test("entries expire after their TTL; the memory store stays within its bounds")
    func memoryStoreTTLAndBounds() async {
        let clock = TestClock()
        let store = MemoryCacheStore(maxEntries: 8, now: { clock.now })
        await store.set([CacheEntry(key: "a", value: [1], ttl: .seconds(60), tags: ["t"])])
        #expect(await store.get(["a"]) == ["a": [1]])
        clock.advance(by: .seconds(61))
        #expect(await store.get(["a"]).isEmpty)
        await store.set((0..<20).map { CacheEntry(key: "k\($0)", value: [UInt8($0)], ttl: .seconds(60), tags: []) })
        #expect(store.count <= 8)
        #expect(await store.get(["k19"]) == ["k19": [19]])
    }

    @Test("the in-memory store decodes an entry once, and again only after it is replaced")
    func decodedOnce() async {
        let store = MemoryCacheStore()
        let decodings = Mutex(0)
        let decode: (String, [UInt8]) -> DecodedEntry? = { _, bytes in
            decodings.withLock { $0 += 1 }
            return DecodedEntry(value: .int(Int(bytes[0])), freshUntil: 0)
        }
        await store.set([CacheEntry(key: "k", value: [1], ttl: .seconds(60), tags: [])])
        #expect(await store.getDecoded(["k"], decode: decode)["k"]?.value == 1)
        #expect(await store.getDecoded(["k"], decode: decode)["k"]?.value == 1)
        #expect(decodings.withLock { $0 } == 1)
        await store.set([CacheEntry(key: "k", value: [2], ttl: .seconds(60), tags: [])])
        #expect(await store.getDecoded(["k"], decode: decode)["k"]?.value == 2)
        #expect(decodings.withLock { $0 } == 2)
    }

    @Test("eviction policies: LRU keeps what is read, FIFO drops the oldest write, TTL drops the soonest to expire")
    func evictionPolicies() async {
        // 8 entries (the bound), "first" read, then one more write: two entries must go.
        func fill(_ store: MemoryCacheStore) async -> (first: Bool, second: Bool) {
            await store.set([CacheEntry(key: "first", value: [1], ttl: .seconds(600), tags: [])])
            await store.set([CacheEntry(key: "second", value: [2], ttl: .seconds(60), tags: [])])
            await store.set((0..<6).map { CacheEntry(key: "k\($0)", value: [0], ttl: .seconds(300), tags: []) })
            _ = await store.get(["first"])
            await store.set([CacheEntry(key: "k6", value: [0], ttl: .seconds(300), tags: [])])
            let kept = await store.get(["first", "second"])
            return (kept["first"] != nil, kept["second"] != nil)
        }
        let lru = await fill(MemoryCacheStore(maxEntries: 8, eviction: .lru))
        #expect(lru.first && !lru.second)
        let fifo = await fill(MemoryCacheStore(maxEntries: 8, eviction: .fifo))
        #expect(!fifo.first && !fifo.second)
        let ttl = await fill(MemoryCacheStore(maxEntries: 8, eviction: .ttl))
        #expect(ttl.first && !ttl.second)
    }

    @Test("two gateways sharing Redis: one's entries serve the other, and one's mutation invalidates for both")
    func redisAcrossReplicas() async throws {
        let redis = try RedisServerProcess()
        try await redis.ready()
        defer { redis.stop() }
        let clientA = RedisClient(configuration: redis.configuration)
        let clientB = RedisClient(configuration: redis.configuration)
        try await withGateway(cache: RedisCacheStore(client: clientA)) { fixtures, gatewayA in
            let gatewayB = GatewayExecutor(
                schema: gatewayA.gatewaySchema, client: gatewayA.client, cacheStore: RedisCacheStore(client: clientB))
            let read = #"{ patient(id: "2") { appointments { id } } }"#
            let first = await gatewayA.run(read, authorization: "Bearer carol")
            let warmed = try await fixtures.stats(.business)
            let second = await gatewayB.run(read, authorization: "Bearer carol")
            #expect(first.data == second.data)
            #expect(try await fixtures.stats(.business) == warmed)
            _ = await gatewayA.run(
                #"mutation { createAppointment(input: {patientId: "2", providerId: "3", date: "2026-12-02", time: "11:00"}) { id } }"#)
            let third = await gatewayB.run(read, authorization: "Bearer carol")
            #expect((third.data?["patient"]?["appointments"]?.listCount ?? 0) == (first.data?["patient"]?["appointments"]?.listCount ?? 0) + 1)
            // The raw keys carry a hash of the principal, never the credential.
            guard case .array(let keys?) = try await clientA.send(["KEYS", "nc:*"]) else { return }
            #expect(!keys.isEmpty)
            #expect(!keys.contains { ($0.string ?? "").contains("carol") })
        }
        await clientA.shutdown()
        await clientB.shutdown()
    }

    @Test("Redis down: requests are served uncached, without errors")
    func redisDown() async throws {
        let down = try ReservedPort()
        let client = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: down.port))
        try await withGateway(cache: RedisCacheStore(client: client)) { _, gateway in
            let (data, errors) = await gateway.run(Self.query)
            #expect(errors.isEmpty)
            #expect(data?["patients"]?.listCount == 10)
        }
        await client.shutdown()
        withExtendedLifetime(down) {}
    }
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var instant = ContinuousClock.now

    var now: ContinuousClock.Instant {
        self.lock.lock()
        defer { self.lock.unlock() }
        return self.instant
    }

    func advance(by duration: Duration) {
        self.lock.lock()
        self.instant = self.instant + duration
        self.lock.unlock()
    }
}

@Suite("Gateway: resolver cache on a Redis Cluster", .timeLimit(.minutes(2)))
struct ClusterCacheTests {
    @Test("two gateways sharing a 3-master cluster: entries spread over the masters, served across replicas, invalidated for both")
    func clusterAcrossReplicas() async throws {
        let cluster = try RedisClusterProcess()
        defer { cluster.stop() }
        try await cluster.ready()
        let clientA = RedisClusterClient(seeds: [cluster.seeds[0]], configuration: cluster.clientConfiguration)
        let clientB = RedisClusterClient(seeds: [cluster.seeds[2]], configuration: cluster.clientConfiguration)
        try await withGateway(cache: RedisCacheStore(client: clientA)) { fixtures, gatewayA in
            let gatewayB = GatewayExecutor(
                schema: gatewayA.gatewaySchema, client: gatewayA.client, cacheStore: RedisCacheStore(client: clientB))
            let read = "{ patients(limit: 20) { id appointments { id } medications { name } } }"
            let first = await gatewayA.run(read, authorization: "Bearer erin")
            let warmed = try await fixtures.totals()
            let second = await gatewayB.run(read, authorization: "Bearer erin")
            #expect(first.errors.isEmpty)
            #expect(first.data == second.data)
            #expect(try await fixtures.totals() == warmed)
            // Every master holds some of the entries.
            for seed in cluster.seeds {
                let node = RedisClient(configuration: .forTests(host: seed.host, port: seed.port))
                #expect((try await node.send(["DBSIZE"])) != .integer(0))
                await node.shutdown()
            }
            guard case .list(let before)? = first.data?["patients"], case .list(let after)? = (await gatewayB.run(read, authorization: "Bearer erin")).data?["patients"]
            else {
                Issue.record("no patients")
                return
            }
            #expect(before == after)
            let patientID = try #require(before[0]["id"]?.stringValue)
            _ = await gatewayA.run(
                #"mutation { createAppointment(input: {patientId: "\#(patientID)", providerId: "3", date: "2026-12-02", time: "11:00"}) { id } }"#)
            guard case .list(let third)? = (await gatewayB.run(read, authorization: "Bearer erin")).data?["patients"] else { return }
            #expect((third[0]["appointments"]?.listCount ?? 0) == (before[0]["appointments"]?.listCount ?? 0) + 1)
        }
        await clientA.shutdown()
        await clientB.shutdown()
    }
}
