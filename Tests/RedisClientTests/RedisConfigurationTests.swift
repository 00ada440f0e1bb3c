import Testing

@testable import RedisClient

@Suite("RedisClient: redis:// URLs")
struct RedisConfigurationTests {
    @Test("host, port, credentials and database")
    func parses() {
        #expect(RedisConfiguration(url: "redis://localhost") == RedisConfiguration(host: "localhost"))
        let full = RedisConfiguration(url: "redis://app:s3cret@cache.internal:6380/2")
        #expect(full?.host == "cache.internal")
        #expect(full?.port == 6380)
        #expect(full?.username == "app")
        #expect(full?.password == "s3cret")
        #expect(full?.database == 2)
        #expect(RedisConfiguration(url: "redis://:pw@h:1")?.password == "pw")
    }

    @Test("malformed URLs are refused")
    func refuses() {
        for url in ["http://x", "redis://", "redis://h:notaport", "redis://h:70000", "redis://h/-1"] {
            #expect(RedisConfiguration(url: url) == nil, "\(url)")
        }
    }
}
