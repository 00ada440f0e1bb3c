import FixtureServices
import Foundation
import Gateway
import GraphQLEngine
import Logging
import RedisClient
import TestSupport
import Testing

@Suite("Gateway: the resolver cache's tiers, built from a configuration")
struct ResolverCacheTiersTests {
    @Test("memory is one in-process store with nothing to seal; off is no store")
    func inProcess() async throws {
        let memory = try await ResolverCacheTiers.make(ResolverCacheConfiguration(), logger: Logger(label: "test"))
        #expect(memory.store is MemoryCacheStore && memory.sealer == nil && memory.redis == nil)
        var off = ResolverCacheConfiguration()
        off.backend = .off
        #expect(try await ResolverCacheTiers.make(off, logger: Logger(label: "test")).store == nil)
    }

    @Test("unusable settings are named: a bad Redis URL, bad sealing keys")
    func refusesBadSettings() async {
        var badURL = ResolverCacheConfiguration()
        badURL.backend = .redis(url: "http://127.0.0.1:6379")
        await #expect(throws: ResolverCacheConfigurationError.self) { try await ResolverCacheTiers.make(badURL, logger: Logger(label: "test")) }
        var badKeys = ResolverCacheConfiguration()
        badKeys.backend = .redis(url: "redis://127.0.0.1:1")
        badKeys.sealingKeys = "1:not-base64"
        await #expect(throws: ResolverCacheConfigurationError.self) { try await ResolverCacheTiers.make(badKeys, logger: Logger(label: "test")) }
    }

    @Test("Redis: an L1 in front, and PRIVATE data leaves the process only sealed, even with no keys configured")
    func redisIsSealed() async throws {
        let redis = try RedisServerProcess()
        try await redis.ready()
        defer { redis.stop() }
        var configuration = ResolverCacheConfiguration()
        configuration.backend = .redis(url: "redis://127.0.0.1:\(redis.port)")
        let tiers = try await ResolverCacheTiers.make(configuration, logger: Logger(label: "test"))
        #expect(tiers.store is TieredCacheStore && tiers.sealer != nil && tiers.redis != nil)
        let inspector = RedisClient(configuration: redis.configuration)
        try await withGateway(cache: tiers.store, sealer: tiers.sealer) { _, gateway in
            let first = await gateway.run(#"{ patient(id: "5") { firstName } }"#)
            let firstName = try #require(first.data?["patient"]?["firstName"]?.stringValue)
            guard case .array(let keys?) = try await inspector.send(["KEYS", "nc:*:p:*"]) else {
                Issue.record("no PRIVATE entries in Redis")
                return
            }
            #expect(!keys.isEmpty)
            for key in keys {
                let raw = try await inspector.send(["GET", key.string ?? ""]).bytes ?? []
                #expect(Array(raw.prefix(5)) == Array("NCV2".utf8) + [1])  // framed as sealed
                #expect(!String(decoding: raw, as: UTF8.self).contains(firstName))
            }
        }
        await inspector.shutdown()
        await tiers.shutdown()
    }
}
