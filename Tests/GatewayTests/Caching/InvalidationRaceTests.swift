@testable import Gateway
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

    @Test("Redis: the late write is never published, so no replica can read it before it is withdrawn")
    func lateWriteNeverPublished() async throws {
        let redis = try RedisServerProcess()
        try await redis.ready()
        defer { redis.stop() }
        let client = RedisClient(configuration: redis.configuration)
        let recorder = RecordingRunner(client)
        let store = RedisCacheStore(client: recorder)
        await store.invalidate(tags: ["Patient.appointments:17"])
        // A key no staging key can share a slot with is written in place: refused before the write.
        let unstageable = CacheEntry(key: "nc:t:p:x:}!Patient.appointments:17", value: Array("stale".utf8), ttl: .seconds(60), tags: ["Patient.appointments:17"])
        await store.set([Self.entry, Self.unrelated, unstageable])
        let sent = recorder.sent.withLock { $0 }
        func staged(_ key: String) -> String? { RedisCacheStore.stagingKey(Array(key.utf8)).map { String(decoding: $0, as: UTF8.self) } }
        // Both are written staged (never under their own keys); only the unrelated one is renamed.
        let written = sent.filter { $0.first == "SET" }.compactMap { $0.dropFirst().first }
        #expect(!written.contains(Self.entry.key) && !written.contains(Self.unrelated.key) && !written.contains(unstageable.key))
        let renamed = sent.filter { $0.first == "RENAME" }.compactMap { $0.dropFirst().first }
        #expect(renamed == [staged(Self.unrelated.key)].compactMap { $0 })
        #expect(await store.get([Self.entry.key, unstageable.key]).isEmpty)
        #expect(await store.get([Self.unrelated.key]) == [Self.unrelated.key: Array("fine".utf8)])
        let left = try await client.send([Array("KEYS".utf8), Array("nc:~staged:*".utf8)])
        #expect(left == .array([]))
        await client.shutdown()
    }

    @Test("Redis: an invalidation landing between the check and the write leaves nothing any replica can read")
    func invalidationBetweenCheckAndWrite() async throws {
        let redis = try RedisServerProcess()
        try await redis.ready()
        defer { redis.stop() }
        let writerClient = RedisClient(configuration: redis.configuration)
        let otherClient = RedisClient(configuration: redis.configuration)
        let otherReplica = RedisCacheStore(client: otherClient)
        // The writer's check found no mark; then, just before its write is sent, another replica's
        // mutation invalidates the tag and returns; right after the write lands, a read follows.
        let readAfterWrite = Mutex<[String: [UInt8]]?>(nil)
        let runner = InterleavingRunner(
            writerClient,
            beforeWrite: { await otherReplica.invalidate(tags: ["Patient.appointments:17"]) },
            afterWrite: {
                let found = await otherReplica.get([Self.entry.key, Self.unrelated.key])
                readAfterWrite.withLock { $0 = found }
            })
        let writer = RedisCacheStore(client: runner)
        await writer.set([Self.entry, Self.unrelated])
        // Read while the write was unchecked: neither entry is visible yet (both are staged).
        #expect(readAfterWrite.withLock { $0 } == [:])
        // Once the write is done, the stale entry was never published, and the other one was.
        #expect(await otherReplica.get([Self.entry.key]).isEmpty)
        #expect(await otherReplica.get([Self.unrelated.key]) == [Self.unrelated.key: Array("fine".utf8)])
        // No staging key is left behind.
        let left = try await otherClient.send([Array("KEYS".utf8), Array("nc:~staged:*".utf8)])
        #expect(left == .array([]))
        await writerClient.shutdown()
        await otherClient.shutdown()
    }

    @Test("staging keys share their entry's cluster slot; a key no other key can share is written in place")
    func stagingKeysShareTheSlot() {
        for key in ["nc:t:p:x:!Patient.appointments:17", "nc:t:{user-7}:Patient.name:p-1", "nc:a{b", "nc:{}x", "{x}y"] {
            let bytes = Array(key.utf8)
            let staged = RedisCacheStore.stagingKey(bytes)
            if let staged {
                #expect(RedisKeySlot.slot(staged) == RedisKeySlot.slot(bytes), "\(key)")
                #expect(staged != bytes)
            } else {
                #expect(key == "nc:{}x")  // a `}` outside a hash tag: no staging key
            }
        }
    }
}

/// A Redis client that runs `beforeWrite` just before the first pipeline holding a `SET` is sent,
/// and `afterWrite` just after it is answered.
private final class InterleavingRunner: RedisCommandRunner {
    let client: RedisClient
    let beforeWrite: @Sendable () async -> Void
    let afterWrite: @Sendable () async -> Void
    let done = Mutex(false)

    init(_ client: RedisClient, beforeWrite: @escaping @Sendable () async -> Void, afterWrite: @escaping @Sendable () async -> Void) {
        self.client = client
        self.beforeWrite = beforeWrite
        self.afterWrite = afterWrite
    }

    func send(_ command: [[UInt8]]) async throws(RedisError) -> RESPValue { try await self.client.send(command) }

    func pipeline(_ commands: [[[UInt8]]]) async throws(RedisError) -> [Result<RESPValue, RedisError>] {
        let isWrite = commands.contains { $0.first == Array("SET".utf8) }
        let first = isWrite && self.done.withLock { done in
            defer { done = true }
            return !done
        }
        if first { await self.beforeWrite() }
        let replies = try await self.client.pipeline(commands)
        if first { await self.afterWrite() }
        return replies
    }

    func mget(_ keys: [[UInt8]]) async throws(RedisError) -> [RESPValue] { try await self.client.mget(keys) }
    func delete(_ keys: [[UInt8]]) async throws(RedisError) { try await self.client.delete(keys) }
    var connectionsLost: Int { self.client.connectionsLost }
    func ping() async -> Bool { await self.client.ping() }
    func shutdown() async { await self.client.shutdown() }
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
    var connectionsLost: Int { self.client.connectionsLost }
    func ping() async -> Bool { await self.client.ping() }
    func shutdown() async { await self.client.shutdown() }
}

