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
            // Every stored value: framed ("NCV2", protection 1 = sealed), then sealed (magic and key
            // id) with its freshness stamp inside, and the patient's name nowhere in it.
            guard case .array(let keys?) = try await clientA.send(["KEYS", "nc:*:p:*"]) else { return }
            #expect(!keys.isEmpty)
            for key in keys {
                let raw = try await clientA.send(["GET", key.string!]).bytes ?? []
                #expect(Array(raw.prefix(5)) == Array("NCV2".utf8) + [1])
                #expect(Array(raw.dropFirst(5).prefix(4)) == Array("NC1".utf8) + [1])
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

    @Test("entries are bound to their key: a sealed value copied to another key, a PUBLIC value written by someone else, a swapped APQ text are misses")
    func integrityBound() async throws {
        let redis = try RedisServerProcess()
        try await redis.ready()
        defer { redis.stop() }
        let client = RedisClient(configuration: redis.configuration)
        try await withGateway(cache: RedisCacheStore(client: client), sealer: CacheSealer(keys: [Self.oldKey])) { fixtures, gateway in
            func keys(_ pattern: String) async throws -> [String] {
                guard case .array(let found?) = try await client.send(["KEYS", pattern]) else { return [] }
                return found.compactMap(\.string)
            }
            let one = await gateway.run(#"{ patient(id: "1") { firstName } }"#, authorization: "Bearer dana")
            let two = await gateway.run(#"{ patient(id: "2") { firstName } }"#, authorization: "Bearer dana")
            #expect(one.data != two.data)
            let keyOne = try #require(try await keys("nc:*:Query.patient:1").first)
            let keyTwo = try #require(try await keys("nc:*:Query.patient:2").first)
            // Patient 2's sealed record copied under patient 1's key: not served as patient 1.
            let sealedTwo = try #require(try await client.send(["GET", keyTwo]).bytes)
            _ = try await client.send([Array("SET".utf8), Array(keyOne.utf8), sealedTwo])
            let before = try await fixtures.totals()
            #expect(await gateway.run(#"{ patient(id: "1") { firstName } }"#, authorization: "Bearer dana").data == one.data)
            #expect(try await fixtures.totals()["clinical"] == (before["clinical"] ?? 0) + 1)

            // A PUBLIC entry written by anyone with Redis access (plain, or with a forged tag): a miss.
            let provider = await gateway.run(#"{ provider(id: "1") { firstName } }"#)
            let providerKey = try #require(try await keys("nc:*:public:Query.provider:1").first)
            let injected = Array(#"[{"id":"1","firstName":"<img src=x onerror=alert(1)>","lastName":"x","specialty":"x"}]"#.utf8)
            let stamp = withUnsafeBytes(of: Int64.max.bigEndian) { Array($0) }
            for forged in [Array("NCV2".utf8) + [0] + stamp + injected, Array("NCV2".utf8) + [2] + stamp + [1] + Array(repeating: 0, count: 32) + injected] {
                _ = try await client.send([Array("SET".utf8), Array(providerKey.utf8), forged])
                #expect(await gateway.run(#"{ provider(id: "1") { firstName } }"#).data == provider.data)
            }

            // An APQ text swapped in the store is never run: the client is asked to resend it.
            let persisted = try #require(gateway.persistedQueries)
            let text = "{ __typename }"
            let hash = SHA256Digest.hex(text)
            _ = await persisted.resolve(query: text, extensions: ["persistedQuery": ["version": 1, "sha256Hash": .string(hash)]])
            _ = try await client.send(["SET", "nc:apq:\(hash)", #"{ patients(limit: 100) { id firstName } }"#])
            let swapped = await persisted.resolve(query: nil, extensions: ["persistedQuery": ["version": 1, "sha256Hash": .string(hash)]])
            #expect((try? swapped.get()) == nil)
        }
        await client.shutdown()
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
