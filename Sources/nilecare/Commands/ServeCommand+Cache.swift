import ArgumentParser
import Gateway

extension ServeCommand {
    /// The resolver cache the options describe (`--cache`, `--redis`, `--cache-*`); the gateway
    /// builds its tiers (`ResolverCacheTiers`).
    func cacheConfiguration() throws -> ResolverCacheConfiguration {
        var configuration = ResolverCacheConfiguration()
        configuration.memoryMaxEntries = self.cacheMaxEntries
        configuration.l1Entries = self.cacheL1Entries
        configuration.sealingKeys = self.cacheKeys
        guard let eviction = EvictionPolicy(rawValue: self.cacheEviction) else { throw ValidationError("--cache-eviction takes lru, fifo or ttl.") }
        configuration.memoryEviction = eviction
        switch self.cache ?? (self.redis == nil ? "memory" : "redis") {
        case "off": configuration.backend = .off
        case "memory": configuration.backend = .memory
        case "redis":
            guard let url = self.redis else { throw ValidationError("--cache redis needs --redis URL.") }
            configuration.backend = .redis(url: url)
        default: throw ValidationError("--cache takes memory, redis or off.")
        }
        return configuration
    }
}
