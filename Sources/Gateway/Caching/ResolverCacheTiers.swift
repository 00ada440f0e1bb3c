import Logging
import RedisClient

/// Which resolver cache a gateway runs with, as configured (`--cache`, `--redis`, `--cache-*`).
public struct ResolverCacheConfiguration: Sendable {
    public enum Backend: Sendable, Equatable {
        case off
        /// In this process only (the embedded default).
        case memory
        /// Redis or Redis Cluster at a `redis://` or `redis+cluster://` URL, shared by every replica.
        case redis(url: String)
    }

    public var backend: Backend = .memory
    public var memoryMaxEntries = 100_000
    public var memoryEviction: EvictionPolicy = .lru
    /// Entries of the in-process L1 in front of Redis (0: none).
    public var l1Entries = 10_000
    /// `ID:BASE64[,…]` AES-256-GCM keys for PRIVATE entries that leave the process (the first seals);
    /// `nil`: a key of this process only, with a warning.
    public var sealingKeys: String?

    public init() {}
}

/// Why a cache configuration cannot run.
public struct ResolverCacheConfigurationError: Error, CustomStringConvertible {
    public let description: String
}

/// The resolver cache's tiers, built from a configuration: the store the executor uses (memory;
/// Redis; or Redis behind a coherent in-process L1), the Redis client it shares with the rate
/// limiter, and the sealer. The rule lives here, not in the CLI: **PRIVATE data leaves the process
/// only sealed** — whenever entries go to Redis, PRIVATE ones are encrypted.
public struct ResolverCacheTiers: Sendable {
    /// What the executor reads and writes; `nil`: caching is off.
    public let store: (any CacheStore)?
    /// Seals PRIVATE entries; set whenever `store` reaches Redis.
    public let sealer: CacheSealer?
    /// The Redis client, for what else shares Redis (rate limits); `nil` without Redis.
    public let redis: (any RedisCommandRunner)?
    /// Where that Redis is (its nodes, for connections of their own such as the event bus); `nil` without Redis.
    public let deployment: RedisDeployment?
    private let tiered: TieredCacheStore?

    /// Builds (and starts) the tiers a configuration names.
    public static func make(_ configuration: ResolverCacheConfiguration, logger: Logger) async throws(ResolverCacheConfigurationError) -> ResolverCacheTiers {
        switch configuration.backend {
        case .off:
            return ResolverCacheTiers(store: nil, sealer: nil, redis: nil, deployment: nil, tiered: nil)
        case .memory:
            let store = MemoryCacheStore(maxEntries: configuration.memoryMaxEntries, eviction: configuration.memoryEviction)
            return ResolverCacheTiers(store: store, sealer: nil, redis: nil, deployment: nil, tiered: nil)
        case .redis(let url):
            guard let deployment = RedisDeployment(url: url) else {
                throw ResolverCacheConfigurationError(description: "--redis takes \(RedisDeployment.urlForms).")
            }
            let sealer = try Self.sealer(configuration.sealingKeys, logger: logger)
            let redis = deployment.makeClient()
            let shared = RedisCacheStore(client: redis, logger: logger)
            guard configuration.l1Entries > 0 else { return ResolverCacheTiers(store: shared, sealer: sealer, redis: redis, deployment: deployment, tiered: nil) }
            if let cluster = redis as? RedisClusterClient { try? await cluster.refreshSlots() }
            let tiered = TieredCacheStore(l2: shared, trackedNodes: deployment.trackedNodes(of: redis), l1MaxEntries: configuration.l1Entries, logger: logger)
            tiered.start()
            return ResolverCacheTiers(store: tiered, sealer: sealer, redis: redis, deployment: deployment, tiered: tiered)
        }
    }

    private static func sealer(_ keys: String?, logger: Logger) throws(ResolverCacheConfigurationError) -> CacheSealer {
        guard let keys else {
            logger.warning("no --cache-keys: PRIVATE entries are sealed with a key of this process only")
            return CacheSealer.ephemeral()
        }
        guard let sealer = CacheSealer(configuration: keys) else {
            throw ResolverCacheConfigurationError(description: "--cache-keys takes ID:BASE64 entries of 32-byte keys, comma-separated.")
        }
        return sealer
    }

    /// Stops the L1's invalidation tracking and closes the Redis connections.
    public func shutdown() async {
        self.tiered?.stop()
        await self.redis?.shutdown()
    }
}
