import Gateway
import RedisClient
import Synchronization
import TestSupport
import Testing

/// A read that fetched before a mutation and writes its result after the mutation's invalidation
/// would leave stale data for a whole `maxAge`: read-your-writes broken (the soak found it across
/// replicas sharing Redis). These pin the order: invalidate, then the late write of the same tag.
@Suite("Gateway: a late write after an invalidation is not kept", .serialized, .timeLimit(.minutes(2)))
struct InvalidationRaceTests {
    static let entry = CacheEntry(key: "nc:t:p:x:!Patient.appointments:17", value: Array("stale".utf8), ttl: .seconds(60), tags: ["Patient.appointments:17", "Patient.appointments"])
    static let unrelated = CacheEntry(key: "nc:t:p:x:!Patient.appointments:18", value: Array("fine".utf8), ttl: .seconds(60), tags: ["Patient.appointments:18"])

    @Test("memory: entries of an invalidated tag are refused for the invalidation window; other tags are kept")
    func memory() async {
        let store = MemoryCacheStore()
        await store.invalidate(tags: ["Patient.appointments:17"])
        await store.set([Self.entry, Self.unrelated])
        #expect(await store.get([Self.entry.key]).isEmpty)
        #expect(await store.get([Self.unrelated.key]) == [Self.unrelated.key: Array("fine".utf8)])
    }

    @Test("Redis, and Redis with L1 on two replicas: the late write is deleted, the next read misses; volatile entries stay out of L1")
    func redis() async throws {
        let redis = try RedisServerProcess()
        try await redis.ready()
        defer { redis.stop() }
        let clientA = RedisClient(configuration: redis.configuration)
        let clientB = RedisClient(configuration: redis.configuration)
        let a = TieredCacheStore(l2: RedisCacheStore(client: clientA), trackedNodes: [redis.configuration])
        let b = TieredCacheStore(l2: RedisCacheStore(client: clientB), trackedNodes: [redis.configuration])
        a.start()
        b.start()
        #expect(try await TieredCacheTests.eventually { a.isCoherent && b.isCoherent })
        // Replica A's mutation invalidates; replica B's read, begun before it, writes afterwards.
        await a.invalidate(tags: ["Patient.appointments:17"])
        await b.set([Self.entry, Self.unrelated])
        #expect(await a.get([Self.entry.key]).isEmpty)
        #expect(await b.get([Self.entry.key]).isEmpty)
        #expect(await b.get([Self.unrelated.key]) == [Self.unrelated.key: Array("fine".utf8)])
        // Entries that mutations change are read from Redis each time, never kept in L1.
        _ = await b.get([Self.unrelated.key])
        #expect(b.l1.count == 0)
        a.stop()
        b.stop()
        await clientA.shutdown()
        await clientB.shutdown()
    }

    @Test("Redis: the late write is never sent, so no replica can read it before it is withdrawn")
    func lateWriteNeverSent() async throws {
        let redis = try RedisServerProcess()
        try await redis.ready()
        defer { redis.stop() }
        let client = RedisClient(configuration: redis.configuration)
        let recorder = RecordingRunner(client)
        let store = RedisCacheStore(client: recorder)
        await store.invalidate(tags: ["Patient.appointments:17"])
        await store.set([Self.entry, Self.unrelated])
        let written = recorder.sent.withLock { $0 }.filter { $0.first == "SET" }.compactMap { $0.dropFirst().first }
        #expect(!written.contains(Self.entry.key))
        #expect(written.contains(Self.unrelated.key))
        #expect(await store.get([Self.unrelated.key]) == [Self.unrelated.key: Array("fine".utf8)])
        await client.shutdown()
    }
}

/// A Redis client that notes the commands pipelined through it (name and first argument).
private final class RecordingRunner: RedisCommandRunner {
    let client: RedisClient
    let sent = Mutex<[[String]]>([])

    init(_ client: RedisClient) {
        self.client = client
    }

    func send(_ command: [[UInt8]]) async throws(RedisError) -> RESPValue { try await self.client.send(command) }

    func pipeline(_ commands: [[[UInt8]]]) async throws(RedisError) -> [Result<RESPValue, RedisError>] {
        self.sent.withLock { sent in
            for command in commands { sent.append(command.prefix(2).map { String(decoding: $0, as: UTF8.self) }) }
        }
        return try await self.client.pipeline(commands)
    }

    func mget(_ keys: [[UInt8]]) async throws(RedisError) -> [RESPValue] { try await self.client.mget(keys) }
    func delete(_ keys: [[UInt8]]) async throws(RedisError) { try await self.client.delete(keys) }
    func ping() async -> Bool { await self.client.ping() }
    func shutdown() async { await self.client.shutdown() }
}

