import Foundation
import GraphQLEngine
import Synchronization
import TestSupport
import Testing

@testable import Gateway

@Suite("Gateway: the in-memory store finds a field's entries by key prefix")
struct PrefixIndexTests {
    private func plans() throws -> (schema: GatewaySchema, plans: [FetchPlan]) {
        let schema = try GatewaySchema(contentsOf: repositoryRoot + "/Schema", services: ServiceEndpoint.serviceNames)
        return (schema, schema.fetchPlans.values.filter { $0.cache != nil }.sorted { $0.coordinate < $1.coordinate })
    }

    private let decodeFirstByte: (String, [UInt8]) -> DecodedEntry? = { _, bytes in
        DecodedEntry(value: .int(Int(bytes.first ?? 0)), freshUntil: 0)
    }

    @Test("every resolver-cache key splits after its prefix: public or private, volatile or not, a rest with colons")
    func keysSplitAfterTheirPrefix() throws {
        let (schema, plans) = try self.plans()
        #expect(!plans.isEmpty)
        let cache = ResolverCache(store: MemoryCacheStore(), schemaVersion: schema.version, volatileFields: [plans[0].coordinate])
        for plan in plans {
            for principal in ["3f9a0c", "anonymous"] {
                let prefix = cache.keyPrefix(plan, principal: principal)
                for rest in ["p-42", "urn:nc:patient:7", "/api/v1/patients?ids=1,2", ""] {
                    #expect(CacheKeys.prefixLength(prefix + rest) == prefix.utf8.count, "\(prefix + rest)")
                }
            }
        }
        #expect(CacheKeys.prefixLength("apq:abc:def:ghi:jkl") == nil)
        #expect(CacheKeys.prefixLength("nc:v1:public") == nil)
        #expect(CacheKeys.prefixLength("nc:v1:p:scope:Type.field") == nil)
    }

    @Test("entries written by full key are read by prefix and rest; replaced, removed and invalidated ones are not")
    func readsWhatTheFullKeysHold() async {
        let store = MemoryCacheStore()
        let prefix = "nc:v1:p:abc:Patient.appointments:"
        let other = "nc:v1:public:Provider.name:"
        await store.set([
            CacheEntry(key: prefix + "p-1", value: [1], ttl: .seconds(60), tags: ["t1"]),
            CacheEntry(key: prefix + "p:2", value: [2], ttl: .seconds(60), tags: ["t2"]),
            CacheEntry(key: other + "p-1", value: [9], ttl: .seconds(60), tags: []),
        ])
        let first = store.getDecodedInProcess(prefix: prefix, suffixes: ["p-1", "p:2", "p-3"], decode: self.decodeFirstByte)
        #expect(first.map { $0?.value } == [1, 2, nil])
        #expect(store.getDecodedInProcess(prefix: other, suffixes: ["p-1", "p:2"], decode: self.decodeFirstByte).map { $0?.value } == [9, nil])
        #expect(store.getDecodedInProcess(prefix: "nc:v1:p:xyz:Patient.appointments:", suffixes: ["p-1"], decode: self.decodeFirstByte).map { $0?.value } == [nil])

        await store.set([CacheEntry(key: prefix + "p-1", value: [5], ttl: .seconds(60), tags: [])])
        await store.invalidate(tags: ["t2"])
        store.remove(keys: [other + "p-1"])
        #expect(store.getDecodedInProcess(prefix: prefix, suffixes: ["p-1", "p:2"], decode: self.decodeFirstByte).map { $0?.value } == [5, nil])
        #expect(store.getDecodedInProcess(prefix: other, suffixes: ["p-1"], decode: self.decodeFirstByte).map { $0?.value } == [nil])
        #expect(store.count == 1)
        store.removeAll()
        #expect(store.getDecodedInProcess(prefix: prefix, suffixes: ["p-1"], decode: self.decodeFirstByte).map { $0?.value } == [nil])
    }

    @Test("an expired entry found by prefix is removed, and a decoded one is kept for the next read")
    func expiresAndKeepsDecodings() async {
        let clock = TestClock()
        let store = MemoryCacheStore(now: { clock.now })
        let prefix = "nc:v1:public:Provider.name:"
        let decodings = Mutex(0)
        let decode: (String, [UInt8]) -> DecodedEntry? = { key, bytes in
            #expect(key == prefix + "d-1")
            decodings.withLock { $0 += 1 }
            return DecodedEntry(value: .int(Int(bytes[0])), freshUntil: 0)
        }
        await store.set([CacheEntry(key: prefix + "d-1", value: [7], ttl: .seconds(60), tags: [])])
        #expect(store.getDecodedInProcess(prefix: prefix, suffixes: ["d-1"], decode: decode).first??.value == 7)
        #expect(store.getDecodedInProcess(prefix: prefix, suffixes: ["d-1"], decode: decode).first??.value == 7)
        #expect(decodings.withLock { $0 } == 1)
        clock.advance(by: .seconds(61))
        #expect(store.getDecodedInProcess(prefix: prefix, suffixes: ["d-1"], decode: decode).map { $0?.value } == [nil])
        #expect(store.count == 0)
    }
}
