import Synchronization

/// The embedded cache: bounded by entries and bytes, least recently used first out, entries
/// expire by TTL; tags index entries for invalidation.
public final class MemoryCacheStore: CacheStore {
    private struct Stored {
        var value: [UInt8]
        var expires: ContinuousClock.Instant
        var tags: [String]
        var tick: UInt64
    }

    private struct State {
        var entries: [String: Stored] = [:]
        var tagged: [String: Set<String>] = [:]
        var bytes = 0
        var tick: UInt64 = 0
    }

    public let name = "memory"
    private let maxEntries: Int
    private let maxBytes: Int
    private let state = Mutex(State())
    private let now: @Sendable () -> ContinuousClock.Instant

    public init(maxEntries: Int = 100_000, maxBytes: Int = 256 * 1024 * 1024, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.maxEntries = max(1, maxEntries)
        self.maxBytes = max(1, maxBytes)
        self.now = now
    }

    public func get(_ keys: [String]) async -> [String: [UInt8]] {
        let now = self.now()
        return self.state.withLock { state in
            var found: [String: [UInt8]] = [:]
            for key in keys {
                guard let stored = state.entries[key] else { continue }
                if stored.expires <= now {
                    Self.remove(key, from: &state)
                    continue
                }
                state.tick += 1
                state.entries[key]!.tick = state.tick
                found[key] = stored.value
            }
            return found
        }
    }

    public func set(_ entries: [CacheEntry]) async {
        let now = self.now()
        self.state.withLock { state in
            for entry in entries {
                Self.remove(entry.key, from: &state)
                state.tick += 1
                state.entries[entry.key] = Stored(value: entry.value, expires: now + entry.ttl, tags: entry.tags, tick: state.tick)
                state.bytes += entry.value.count
                for tag in entry.tags { state.tagged[tag, default: []].insert(entry.key) }
            }
            if state.entries.count > self.maxEntries || state.bytes > self.maxBytes {
                // Evict the least recently used until back under both bounds (in one sorted pass).
                for (key, _) in state.entries.sorted(by: { $0.value.tick < $1.value.tick }) {
                    if state.entries.count <= self.maxEntries * 7 / 8 && state.bytes <= self.maxBytes * 7 / 8 { break }
                    Self.remove(key, from: &state)
                }
            }
        }
    }

    public func invalidate(tags: [String]) async {
        self.state.withLock { state in
            for tag in tags {
                for key in state.tagged.removeValue(forKey: tag) ?? [] { Self.remove(key, from: &state) }
            }
        }
    }

    public func isHealthy() async -> Bool { true }

    /// Drops these keys (an L1 told by Redis that they changed).
    public func remove(keys: some Sequence<String>) {
        self.state.withLock { state in
            for key in keys { Self.remove(key, from: &state) }
        }
    }

    public func removeAll() {
        self.state.withLock { $0 = State() }
    }

    /// Entries held (for tests and metrics).
    public var count: Int { self.state.withLock { $0.entries.count } }

    private static func remove(_ key: String, from state: inout State) {
        guard let stored = state.entries.removeValue(forKey: key) else { return }
        state.bytes -= stored.value.count
        for tag in stored.tags { state.tagged[tag]?.remove(key) }
    }
}
