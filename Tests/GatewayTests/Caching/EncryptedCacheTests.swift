import FixtureServices
import Foundation
@testable import Gateway
import GraphQLEngine
import RedisClient
import TestSupport
import Testing

@Suite("Gateway: PHI at rest in the cache")
struct EncryptedCacheTests {
    static let oldKey = CacheSealer.Key(id: 1, bytes: Array(repeating: 7, count: 32))
    static let newKey = CacheSealer.Key(id: 2, bytes: Array(repeating: 9, count: 32))

    @Test("PRIVATE values in Redis are sealed: no plaintext; a rotated key set still reads them")
    func sealedAtRest() async throws {
        let redis = try RedisServerProcess()
        try await redis.ready()
        defer { redis.stop() }
        let clientA = RedisClient(configuration: redis.configuration)
        let clientB = RedisClient(configuration: redis.configuration)
        let query = #"{ patient(id: "5") { firstName lastName medications { name } } }"#
        try await withGateway(cache: RedisCacheStore(client: clientA), sealer: CacheSealer(keys: [Self.oldKey])) { fixtures, gatewayA in
            let first = await gatewayA.run(query, authorization: "Bearer dana")
            let firstName = try #require(first.data?["patient"]?["firstName"]?.stringValue)
            // Every stored value: a freshness frame ("NCV1" + 8 bytes), then sealed (magic and key id),
            // and the patient's name nowhere in it.
            guard case .array(let keys?) = try await clientA.send(["KEYS", "nc:*:p:*"]) else { return }
            #expect(!keys.isEmpty)
            for key in keys {
                let raw = try await clientA.send(["GET", key.string!]).bytes ?? []
                #expect(Array(raw.prefix(4)) == Array("NCV1".utf8))
                #expect(Array(raw.dropFirst(12).prefix(4)) == Array("NC1".utf8) + [1])
                #expect(!String(decoding: raw, as: UTF8.self).contains(firstName))
            }
            // Rotation: the new key seals, the old one still opens what is there.
            let rotated = GatewayExecutor(
                schema: gatewayA.gatewaySchema, client: gatewayA.client, cacheStore: RedisCacheStore(client: clientB),
                sealer: CacheSealer(keys: [Self.newKey, Self.oldKey]))
            let before = try await fixtures.totals()
            let second = await rotated.run(query, authorization: "Bearer dana")
            #expect(second.data == first.data)
            let after = try await fixtures.totals()
            #expect(after["clinical"] == before["clinical"])
            #expect(after["medication"] == before["medication"])
        }
        await clientA.shutdown()
        await clientB.shutdown()
    }

    @Test("a value sealed with an unknown key, or altered, is a miss, not an error")
    func unreadableIsMiss() throws {
        let sealer = try #require(CacheSealer(keys: [Self.oldKey]))
        let other = try #require(CacheSealer(keys: [Self.newKey]))
        let plaintext = Array(#"[{"firstName":"Amani"}]"#.utf8)
        let sealed = try #require(sealer.seal(plaintext))
        #expect(sealer.open(sealed) == plaintext)
        #expect(other.open(sealed) == nil)
        var altered = sealed
        altered[altered.count - 1] ^= 1
        #expect(sealer.open(altered) == nil)
        #expect(CacheSealer(configuration: "1:\(Data(Self.oldKey.bytes).base64EncodedString())") != nil)
        #expect(CacheSealer(configuration: "1:short") == nil)
    }
}
