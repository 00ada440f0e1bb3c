import Gateway
import RedisClient
import TestSupport
import Testing

@Suite("Gateway: a read that began before a Redis outage does not store what it fetched", .serialized, .timeLimit(.minutes(2)))
struct OutageWriteTests {
    @Test("Redis restarted mid-read: the entry fetched before is not written; a read begun after is")
    func writesAfterAnOutageAreSkipped() async throws {
        let redis = try RedisServerProcess()
        try await redis.ready()
        let port = redis.port
        let client = RedisClient(configuration: redis.configuration)
        let store = RedisCacheStore(client: client)
        let entry = CacheEntry(key: "nc:t:appointments", value: [1], ttl: .seconds(60), tags: ["Patient.appointments:59"])
        let before = store.outageEpoch  // the read begins (and fetches) here
        redis.stop()
        // While Redis is down, a mutation's invalidation cannot mark its tags: it fails, and is counted.
        await store.invalidate(tags: ["Patient.appointments:59"])
        #expect(store.outageEpoch > before)
        let restarted = try RedisServerProcess(port: port)
        defer { restarted.stop() }
        try await restarted.ready()
        // The read that began before the outage finishes after it: nothing is stored.
        await store.set([entry], unlessOutageSince: before)
        let probe = RedisClient(configuration: restarted.configuration)
        #expect(try await probe.send(["EXISTS", "nc:t:appointments"]) == .integer(0))
        // A read that began after the outage stores its entry (once the client has reconnected).
        var stored = false
        for _ in 0..<500 where !stored {
            await store.set([entry], unlessOutageSince: store.outageEpoch)
            stored = (try? await probe.send(["EXISTS", "nc:t:appointments"])) == .integer(1)
            if !stored { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(stored)
        await probe.shutdown()
        await client.shutdown()
    }

    @Test("Redis restarted while this replica sent nothing: what it fetched before another replica's invalidation is not published")
    func writesAcrossAQuietRestartAreSkipped() async throws {
        let redis = try RedisServerProcess()
        try await redis.ready()
        let port = redis.port
        let reader = RedisCacheStore(client: RedisClient(configuration: redis.configuration))
        let writer = RedisCacheStore(client: RedisClient(configuration: redis.configuration))
        let tag = "Patient.appointments:21"
        let entry = CacheEntry(key: "nc:t:appointments:21", value: [1], ttl: .seconds(60), tags: [tag])
        _ = await reader.get(["nc:t:warm"])  // the reader's pool is in use before its read begins
        let before = reader.outageEpoch  // the reader's read begins (and fetches the old list) here
        // The other replica's mutation marks the tag in a Redis that then restarts empty, while the
        // reader sends nothing: it sees no failure, only its connection closed.
        await writer.invalidate(tags: [tag])
        redis.stop()
        let restarted = try RedisServerProcess(port: port)
        defer { restarted.stop() }
        try await restarted.ready()
        await reader.set([entry], unlessOutageSince: before)
        let probe = RedisClient(configuration: restarted.configuration)
        #expect(try await probe.send(["EXISTS", "nc:t:appointments:21"]) == .integer(0))
        #expect(try await probe.send(["EXISTS", "nc:~staged:{nc:t:appointments:21}"]) == .integer(0))
        // A read begun after the restart stores its entry.
        await reader.set([entry], unlessOutageSince: reader.outageEpoch)
        #expect(try await probe.send(["EXISTS", "nc:t:appointments:21"]) == .integer(1))
        await probe.shutdown()
    }
}
