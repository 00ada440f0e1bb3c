import Logging
import RedisClient
import Synchronization

/// Two tiers: a small in-process L1 in front of the shared Redis (L2), so a hot entry costs no
/// round trip, kept coherent across replicas by Redis itself.
///
/// Every Redis master announces changed `nc:` keys to a `RedisInvalidationListener`; an announced
/// key leaves L1 at once. L1 is filled from L2 reads only, and not when an announcement arrived
/// during that read (it could be older than the announcement). While any listener is
/// disconnected, L1 is emptied and bypassed: without announcements it could serve stale data.
public final class TieredCacheStore: CacheStore {
    public let name = "redis+l1"
    public let l1: MemoryCacheStore
    public let l2: RedisCacheStore
    /// How long an L1 copy lives at most (freshness is also judged from the value itself).
    private let l1TTL: Duration
    private let listeners: [RedisInvalidationListener]
    private let state = Mutex(State())
    private let logger: Logger

    private struct State {
        var connected: Set<Int> = []
        /// Bumped on every announcement: a read that saw it change does not fill L1.
        var generation: UInt64 = 0
        var listening: Task<Void, Never>?
        var statistics = TieredCacheStatistics()
    }

    /// - Parameter trackedNodes: every Redis master (one for a single server).
    public init(
        l2: RedisCacheStore, trackedNodes: [RedisConfiguration], l1MaxEntries: Int = 10_000, l1MaxBytes: Int = 64 * 1024 * 1024,
        l1TTL: Duration = .seconds(60), logger: Logger = Logger(label: "nilecare.cache")
    ) {
        self.l1 = MemoryCacheStore(maxEntries: l1MaxEntries, maxBytes: l1MaxBytes)
        self.l2 = l2
        self.l1TTL = l1TTL
        self.listeners = trackedNodes.map { RedisInvalidationListener(configuration: $0, prefixes: ["nc:"]) }
        self.logger = logger
    }

    /// Starts listening for invalidations (L1 serves once every listener is connected).
    public func start() {
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                for (index, listener) in self.listeners.enumerated() {
                    group.addTask { await listener.run { self.handle($0, from: index) } }
                }
            }
        }
        self.state.withLock { $0.listening = task }
    }

    public func stop() {
        self.state.withLock { state in
            state.listening?.cancel()
            state.listening = nil
            state.connected = []
        }
        self.l1.removeAll()
    }

    /// Whether L1 may serve: every master's announcements are being heard.
    public var isCoherent: Bool { self.state.withLock { $0.connected.count == self.listeners.count } }

    public var statistics: TieredCacheStatistics { self.state.withLock { $0.statistics } }

    public func get(_ keys: [String]) async -> [String: [UInt8]] {
        let (coherent, generation) = self.state.withLock { ($0.connected.count == self.listeners.count, $0.generation) }
        guard coherent else { return await self.l2.get(keys) }
        var found = await self.l1.get(keys)
        let missing = keys.filter { found[$0] == nil }
        var fromL2: [String: [UInt8]] = [:]
        if !missing.isEmpty { fromL2 = await self.l2.get(missing) }
        let stillCurrent = self.state.withLock { state in
            state.statistics.l1Hits += found.count
            state.statistics.l2Hits += fromL2.count
            return state.generation == generation
        }
        GatewayMetrics.cacheTierHits("l1", found.count)
        GatewayMetrics.cacheTierHits("l2", fromL2.count)
        // Entries that mutations change are read from Redis every time: an announcement of another
        // replica's write arrives asynchronously, and a read right after that write must see it.
        let keep = fromL2.filter { CacheKeys.mayKeepInProcess($0.key) }
        if stillCurrent, !keep.isEmpty {
            await self.l1.set(keep.map { CacheEntry(key: $0.key, value: $0.value, ttl: self.l1TTL, tags: []) })
            // An announcement between the check and the fill bumped the generation first: undo.
            if self.state.withLock({ $0.generation != generation }) { self.l1.remove(keys: keep.keys) }
        }
        found.merge(fromL2) { first, _ in first }
        return found
    }

    public func getDecoded(_ keys: [String], decode: (String, [UInt8]) -> DecodedEntry?) async -> [String: DecodedEntry] {
        guard self.isCoherent else { return await self.l2.getDecoded(keys, decode: decode) }
        // L1 keeps decoded values; what it lacks is read (and filled) through `get`.
        var found: [String: DecodedEntry] = [:]
        for (key, entry) in zip(keys, self.getDecodedInProcess(keys, decode: decode)) where entry != nil { found[key] = entry }
        let missing = keys.filter { found[$0] == nil }
        if !missing.isEmpty {
            for (key, bytes) in await self.get(missing) { found[key] = decode(key, bytes) }
        }
        return found
    }

    /// L1's decoded values, while L1 is coherent (counted as L1 hits).
    public func getDecodedInProcess(_ keys: [String], decode: (String, [UInt8]) -> DecodedEntry?) -> [DecodedEntry?] {
        guard self.isCoherent else { return Array(repeating: nil, count: keys.count) }
        let found = self.l1.getDecodedInProcess(keys, decode: decode)
        let hits = found.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        if hits > 0 {
            self.state.withLock { $0.statistics.l1Hits += hits }
            GatewayMetrics.cacheTierHits("l1", hits)
        }
        return found
    }

    /// L1's decoded values of one prefix's keys, while L1 is coherent (counted as L1 hits).
    public func getDecodedInProcess(prefix: String, suffixes: [String], decode: (String, [UInt8]) -> DecodedEntry?) -> [DecodedEntry?] {
        guard self.isCoherent else { return Array(repeating: nil, count: suffixes.count) }
        let found = self.l1.getDecodedInProcess(prefix: prefix, suffixes: suffixes, decode: decode)
        let hits = found.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        if hits > 0 {
            self.state.withLock { $0.statistics.l1Hits += hits }
            GatewayMetrics.cacheTierHits("l1", hits)
        }
        return found
    }

    /// Writes go to Redis only: Redis announces them, which would drop an L1 copy anyway.
    public func set(_ entries: [CacheEntry]) async {
        await self.l2.set(entries)
    }

    public var outageEpoch: Int { self.l2.outageEpoch }

    public func set(_ entries: [CacheEntry], unlessOutageSince epoch: Int) async {
        await self.l2.set(entries, unlessOutageSince: epoch)
    }

    public func invalidate(tags: [String]) async {
        let deleted = await self.l2.deleteTagged(tags)
        // Announcements come too, but this replica's next read must not wait for them.
        self.state.withLock { $0.generation &+= 1 }
        self.l1.remove(keys: deleted)
    }

    public func isHealthy() async -> Bool { await self.l2.isHealthy() }

    private func handle(_ event: RedisInvalidationListener.Event, from index: Int) {
        switch event {
        case .connected:
            self.state.withLock { state in
                state.generation &+= 1
                state.connected.insert(index)
            }
            self.logger.debug("L1 invalidation listener connected", metadata: ["node": "\(self.listeners[index].configuration.host):\(self.listeners[index].configuration.port)"])
        case .invalidated(let keys):
            self.state.withLock { state in
                state.generation &+= 1
                state.statistics.invalidations += keys.count
            }
            self.l1.remove(keys: keys.map { String(decoding: $0, as: UTF8.self) })
        case .flushed:
            self.state.withLock { $0.generation &+= 1 }
            self.l1.removeAll()
        case .disconnected:
            let wasConnected = self.state.withLock { state in
                state.generation &+= 1
                return state.connected.remove(index) != nil
            }
            self.l1.removeAll()
            if wasConnected { self.logger.warning("L1 invalidation listener disconnected; serving from Redis only until it is back") }
        }
    }
}

/// What the two tiers answered.
public struct TieredCacheStatistics: Sendable, Equatable {
    public var l1Hits = 0
    public var l2Hits = 0
    /// Keys Redis announced as changed.
    public var invalidations = 0
}
