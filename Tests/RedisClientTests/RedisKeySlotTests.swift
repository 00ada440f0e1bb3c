import Testing

@testable import RedisClient

@Suite("Redis Cluster key slots")
struct RedisKeySlotTests {
    @Test("CRC16/XMODEM matches the cluster spec's test vector")
    func crc16() {
        #expect(RedisKeySlot.crc16(Array("123456789".utf8)[...]) == 0x31C3)
    }

    @Test("Slots of known keys, and hash tags")
    func slots() {
        // Values from `CLUSTER KEYSLOT` on Redis 7.
        #expect(RedisKeySlot.slot("foo") == 12182)
        #expect(RedisKeySlot.slot("bar") == 5061)
        #expect(RedisKeySlot.slot("{user1000}.following") == RedisKeySlot.slot("user1000"))
        #expect(RedisKeySlot.slot("{user1000}.followers") == RedisKeySlot.slot("{user1000}.following"))
        // Only the first {...} counts; an empty {} means the whole key is hashed.
        #expect(RedisKeySlot.slot("foo{}{bar}") == Int(RedisKeySlot.crc16(Array("foo{}{bar}".utf8)[...]) & 0x3FFF))
        #expect(RedisKeySlot.slot("foo{{bar}}zap") == RedisKeySlot.slot("{bar"))
        #expect(RedisKeySlot.slot("foo{bar}{zap}") == RedisKeySlot.slot("bar"))
    }

    @Test("Cluster URLs name seeds and credentials")
    func clusterURL() {
        #expect(
            RedisDeployment(url: "redis+cluster://:secret@10.0.0.1:7000,10.0.0.2:7001")
                == .cluster(
                    seeds: [RedisNodeAddress(host: "10.0.0.1", port: 7000), RedisNodeAddress(host: "10.0.0.2", port: 7001)],
                    RedisConfiguration(host: "10.0.0.1", port: 7000, password: "secret")))
        #expect(RedisDeployment(url: "redis://127.0.0.1:6380") == .server(RedisConfiguration(host: "127.0.0.1", port: 6380)))
        #expect(RedisDeployment(url: "redis+cluster://10.0.0.1:7000,") == nil)
        #expect(RedisDeployment(url: "redis+cluster://") == nil)
        #expect(RedisDeployment(url: "http://10.0.0.1") == nil)
    }

    @Test("Redirect replies are read as the cluster spec defines them")
    func redirects() {
        #expect(RedisRedirect(.server("MOVED 3999 127.0.0.1:6381")) == .moved(slot: 3999, to: RedisNodeAddress(host: "127.0.0.1", port: 6381)))
        #expect(RedisRedirect(.server("ASK 3999 10.0.0.2:7002")) == .ask(slot: 3999, to: RedisNodeAddress(host: "10.0.0.2", port: 7002)))
        #expect(RedisRedirect(.server("TRYAGAIN Multiple keys request during rehashing of slot")) == .tryAgain)
        #expect(RedisRedirect(.server("ERR unknown command")) == nil)
        #expect(RedisRedirect(.timeout) == nil)
    }

    @Test("What a hostile or broken node sends is refused, never trapped on: slots past 16383, ports past 65535")
    func hostileReplies() {
        for reply in ["MOVED 16384 127.0.0.1:6381", "MOVED -1 127.0.0.1:6381", "MOVED 9223372036854775807 h:1", "ASK 99999 h:1",
                      "MOVED 1 h:99999", "MOVED 1 h:0", "MOVED 1 :6379", "MOVED 1 h:", "MOVED 1", "MOVED x h:1"] {
            #expect(RedisRedirect(.server(reply)) == nil, "\(reply)")
        }
        let slots: RESPValue = .array([.array([.integer(0), .integer(100), .array([.bulkString(Array("h".utf8)), .integer(70000)])])])
        #expect(RedisSlotMap(clusterSlots: slots, askedHost: "h") == nil)
        let beyond: RESPValue = .array([.array([.integer(0), .integer(20000), .array([.bulkString(Array("h".utf8)), .integer(7000)])])])
        #expect(RedisSlotMap(clusterSlots: beyond, askedHost: "h") == nil)
        var map = RedisSlotMap()
        map.assign(16000...99999, to: RedisNodeAddress(host: "h", port: 1))
        #expect(map[16383] == RedisNodeAddress(host: "h", port: 1))
        #expect(map[99999] == nil && map[-1] == nil)
    }
}
