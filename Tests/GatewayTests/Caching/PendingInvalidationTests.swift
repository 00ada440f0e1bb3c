import Gateway
import RedisClient
import TestSupport
import Testing

@Suite("Gateway: an invalidation Redis could not take is retried before the next read", .serialized, .timeLimit(.minutes(2)))
struct PendingInvalidationTests {
    /// A Redis of its own, and a replica's store on it whose commands time out soon enough that a
    /// frozen server's silence ends in a timeout.
    private static func redisAndReplica() async throws -> (RedisServerProcess, RedisCacheStore) {
        let redis = try RedisServerProcess()
        try await redis.ready()
        var frozenFast = redis.configuration
        frozenFast.commandTimeout = .milliseconds(300)
        return (redis, RedisCacheStore(client: RedisClient(configuration: frozenFast)))
    }

    @Test("Redis frozen through a mutation's invalidation, then back with its data: the stale entry is never read, and is deleted for every replica")
    func invalidationRetriedBeforeTheNextRead() async throws {
        let (redis, replica) = try await Self.redisAndReplica()
        defer { redis.stop() }
        let other = RedisCacheStore(client: RedisClient(configuration: redis.configuration))
        let tag = "Patient.appointments:7"
        let key = "nc:t:appointments:7"
        await replica.set([CacheEntry(key: key, value: [1], ttl: .seconds(60), tags: [tag])])
        #expect(await replica.get([key])[key] == [1])

        redis.pause()
        await replica.invalidate(tags: [tag])  // every attempt times out
        #expect(replica.pendingInvalidations == 1)
        let epochBefore = replica.outageEpoch
        redis.resume()

        // Redis kept the entry through the outage: the replica retries its invalidation before
        // reading, so it never serves the entry, and no replica finds it afterwards.
        #expect(await replica.get([key])[key] == nil)
        #expect(replica.pendingInvalidations == 0)
        #expect(await other.get([key])[key] == nil)
        #expect(replica.outageEpoch == epochBefore, "the retry succeeded at once")
        // The replica writes as before (another patient's entry: this tag stays marked a while).
        await replica.set([CacheEntry(key: "nc:t:appointments:9", value: [2], ttl: .seconds(60), tags: ["Patient.appointments:9"])])
        #expect(await other.get(["nc:t:appointments:9"])["nc:t:appointments:9"] == [2])
    }

    @Test("Redis still frozen: the replica with a pending invalidation reads nothing, and keeps it pending")
    func nothingIsReadWhileItStands() async throws {
        let (redis, replica) = try await Self.redisAndReplica()
        defer { redis.stop() }
        let tag = "Patient.medications:8"
        let untagged = "nc:t:providers:1"
        await replica.set([CacheEntry(key: untagged, value: [3], ttl: .seconds(60), tags: [])])
        redis.pause()
        await replica.invalidate(tags: [tag])
        #expect(await replica.get([untagged]).isEmpty)
        #expect(replica.pendingInvalidations == 1)
        redis.resume()
        #expect(await replica.get([untagged])[untagged] == [3])
        #expect(replica.pendingInvalidations == 0)
    }

    @Test("many pending tags are retried a thousand at a time; reads find nothing until the last is done")
    func retriedInShares() async throws {
        let (redis, replica) = try await Self.redisAndReplica()
        defer { redis.stop() }
        let key = "nc:t:providers:2"
        await replica.set([CacheEntry(key: key, value: [5], ttl: .seconds(60), tags: [])])
        redis.pause()
        await replica.invalidate(tags: (0..<1_500).map { "Patient.appointments:\($0)" })
        #expect(replica.pendingInvalidations == 1_500)
        redis.resume()
        #expect(await replica.get([key]).isEmpty)
        #expect(replica.pendingInvalidations == 500)
        #expect(await replica.get([key])[key] == [5])
        #expect(replica.pendingInvalidations == 0)
    }

    @Test("a replica that serves no reads retries its pending invalidation when its readiness is probed")
    func readinessProbesRetry() async throws {
        let (redis, replica) = try await Self.redisAndReplica()
        defer { redis.stop() }
        let other = RedisCacheStore(client: RedisClient(configuration: redis.configuration))
        let key = "nc:t:lab:4"
        await other.set([CacheEntry(key: key, value: [4], ttl: .seconds(60), tags: ["Patient.labOrders:4"])])
        redis.pause()
        await replica.invalidate(tags: ["Patient.labOrders:4"])
        #expect(!(await replica.isHealthy()))
        #expect(replica.pendingInvalidations == 1)
        redis.resume()
        #expect(await replica.isHealthy())
        #expect(replica.pendingInvalidations == 0)
        #expect(await other.get([key])[key] == nil)
    }
}
