import TestSupport
import Testing

@testable import RedisClient

@Suite("RedisClusterClient: against a real 3-master cluster", .serialized, .timeLimit(.minutes(2)))
struct RedisClusterTests {
    @Test("Keys land on their slot's master; MGET and DEL across slots are split by slot")
    func routing() async throws {
        let cluster = try RedisClusterProcess()
        defer { cluster.stop() }
        try await cluster.ready()
        let client = RedisClusterClient(seeds: [cluster.seeds[0]], configuration: cluster.clientConfiguration)
        defer { Task { await client.shutdown() } }
        let keys = (0..<200).map { "nc:test:patient:\($0)" } + ["{tag}a", "{tag}b"]
        let writes = try await client.pipeline(keys.map { [Array("SET".utf8), Array($0.utf8), Array("v-\($0)".utf8)] })
        for result in writes { #expect(try result.get() == .simpleString("OK")) }
        // Our slot agrees with the server's, and each key sits on the master the map names.
        for key in keys.prefix(20) + keys.suffix(2) {
            #expect(try await client.send(["CLUSTER", "KEYSLOT", key]) == .integer(RedisKeySlot.slot(key)))
            let owner = try #require(client.owner(ofSlot: RedisKeySlot.slot(key)))
            let direct = RedisClient(configuration: .forTests(host: owner.host, port: owner.port))
            #expect(try await direct.send(["GET", key]).string == "v-\(key)")
            await direct.shutdown()
        }
        let values = try await client.mget(keys.map { Array($0.utf8) } + [Array("missing".utf8)])
        #expect(values.dropLast().map(\.string) == keys.map { "v-\($0)" })
        #expect(values.last == .bulkString(nil))
        try await client.delete(keys.map { Array($0.utf8) })
        #expect(try await client.mget(keys.map { Array($0.utf8) }).allSatisfy(\.isNull))
        #expect(client.statistics.moved == 0)
        #expect(await client.ping())
    }

    @Test("A slot migrating: ASK is followed without changing the map; after it, MOVED updates the map")
    func slotMigration() async throws {
        let cluster = try RedisClusterProcess()
        defer { cluster.stop() }
        try await cluster.ready()
        let client = RedisClusterClient(seeds: cluster.seeds, configuration: cluster.clientConfiguration)
        defer { Task { await client.shutdown() } }
        let key = "nc:test:patient:42"
        let slot = RedisKeySlot.slot(key)
        _ = try await client.send(["SET", key, "before"])
        let source = try #require(client.owner(ofSlot: slot))
        let target = try #require(cluster.seeds.first { $0 != source })
        let admin = Dictionary(uniqueKeysWithValues: cluster.seeds.map { ($0, RedisClient(configuration: .forTests(host: $0.host, port: $0.port))) })
        defer { Task { for node in admin.values { await node.shutdown() } } }
        let sourceID = try #require(try await admin[source]!.send(["CLUSTER", "MYID"]).string)
        let targetID = try #require(try await admin[target]!.send(["CLUSTER", "MYID"]).string)

        // Mid-migration: the key already moved, the slot not yet. The source answers ASK.
        _ = try await admin[target]!.send(["CLUSTER", "SETSLOT", String(slot), "IMPORTING", sourceID])
        _ = try await admin[source]!.send(["CLUSTER", "SETSLOT", String(slot), "MIGRATING", targetID])
        _ = try await admin[source]!.send(["MIGRATE", target.host, String(target.port), "", "0", "5000", "KEYS", key])
        #expect(try await client.send(["GET", key]).string == "before")
        #expect(client.statistics.asked == 1)
        #expect(client.owner(ofSlot: slot) == source)

        // The slot is handed over: the source answers MOVED, and the client learns the new owner.
        for node in admin.values { _ = try await node.send(["CLUSTER", "SETSLOT", String(slot), "NODE", targetID]) }
        #expect(try await client.send(["SET", key, "after"]) == .simpleString("OK"))
        #expect(client.statistics.moved == 1)
        #expect(client.owner(ofSlot: slot) == target)
        #expect(try await client.mget([Array(key.utf8)]).first?.string == "after")
        #expect(client.statistics.moved == 1)
        #expect(try await admin[target]!.send(["GET", key]).string == "after")
    }

    @Test("A cluster nobody answers: commands fail, ping says so")
    func unreachable() async throws {
        let client = RedisClusterClient(seeds: [RedisNodeAddress(host: "127.0.0.1", port: 1)])
        #expect(await !client.ping())
        await #expect(throws: RedisError.self) { try await client.send(["GET", "k"]) }
        await client.shutdown()
    }
}
